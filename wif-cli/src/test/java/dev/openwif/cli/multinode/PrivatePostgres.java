package dev.openwif.cli.multinode;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the test's own, so that it can be crashed and restarted without touching
 * the machine's shared server: {@code initdb} into a fresh directory, then {@code postgres} on
 * 127.0.0.1 and a port chosen here, trust authentication for the user {@code wif}, unix socket in
 * the same directory. PostgreSQL refuses to run as root, so as root both run as the {@code
 * postgres} user ({@code setpriv}, which execs: the process is the postmaster itself, and signals
 * reach it). Not thread-safe.
 */
final class PrivatePostgres implements AutoCloseable {
  private static final Duration START_LIMIT = Duration.ofSeconds(30);
  private static final Duration STOP_LIMIT = Duration.ofSeconds(20);

  private final Path bin;
  private final Path dir;
  private final int port;
  private final boolean asPostgresUser;
  private Process postmaster;
  private int starts;

  private PrivatePostgres(Path bin, Path dir, int port, boolean asPostgresUser) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.asPostgresUser = asPostgresUser;
  }

  /**
   * Creates the cluster and starts it; fails with one line naming what is missing when the server
   * binaries are not installed.
   */
  static PrivatePostgres start(int port) throws Exception {
    Path bin = serverBinaries();
    boolean root = "root".equals(System.getProperty("user.name"));
    Path dir = Files.createTempDirectory("wif-multinode-pg");
    if (root) {
      // PostgreSQL runs as 'postgres', which must own its directory
      UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
      PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
      view.setOwner(users.lookupPrincipalByName("postgres"));
      GroupPrincipal group = users.lookupPrincipalByGroupName("postgres");
      view.setGroup(group);
    }
    PrivatePostgres pg = new PrivatePostgres(bin, dir, port, root);
    try {
      pg.initdb();
      pg.startServer();
      return pg;
    } catch (Exception | AssertionError e) {
      pg.close();
      throw e;
    }
  }

  /**
   * The newest {@code /usr/lib/postgresql/VERSION/bin} holding {@code initdb} and {@code postgres}
   * ({@code -Dwif.postgres.bin} names another).
   */
  private static Path serverBinaries() throws IOException {
    String named = System.getProperty("wif.postgres.bin");
    Optional<Path> found;
    if (named != null) {
      found = Optional.of(Path.of(named));
    } else {
      Path root = Path.of("/usr/lib/postgresql");
      if (!Files.isDirectory(root)) {
        found = Optional.empty();
      } else {
        try (Stream<Path> versions = Files.list(root)) {
          found =
              versions
                  .map(v -> v.resolve("bin"))
                  .filter(b -> Files.isExecutable(b.resolve("postgres")))
                  .max(Comparator.comparingInt(PrivatePostgres::versionOf));
        }
      }
    }
    Path bin =
        found
            .filter(b -> Files.isExecutable(b.resolve("initdb")))
            .filter(b -> Files.isExecutable(b.resolve("postgres")))
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "the multi-node test needs PostgreSQL's server binaries (initdb, postgres)"
                            + " under /usr/lib/postgresql/VERSION/bin (or -Dwif.postgres.bin);"
                            + " install them with: apt-get install -y postgresql"));
    return bin;
  }

  private static int versionOf(Path bin) {
    String name = bin.getParent().getFileName().toString();
    return name.matches("\\d+") ? Integer.parseInt(name) : 0;
  }

  /** {@code postgresql://wif@127.0.0.1:PORT/postgres}, the {@code --db} of every node. */
  String url() {
    return "postgresql://wif@127.0.0.1:" + port + "/postgres";
  }

  /** A JDBC connection as the nodes' user (the caller closes it). */
  Connection connect() throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port + "/postgres?connectTimeout=2", "wif", "");
  }

  /**
   * Stops the server as a crash would ({@code SIGQUIT}: immediate shutdown, no checkpoint; the next
   * start replays the write-ahead log) and waits for it to be gone.
   */
  void crash() throws Exception {
    Process killer =
        new ProcessBuilder("kill", "-QUIT", Long.toString(postmaster.pid()))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!killer.waitFor(5, TimeUnit.SECONDS) || killer.exitValue() != 0) {
      throw new IllegalStateException("kill -QUIT " + postmaster.pid() + " failed");
    }
    if (!postmaster.waitFor(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
      throw new IllegalStateException("PostgreSQL did not stop within " + STOP_LIMIT);
    }
  }

  /** Starts the server again on the same directory and port, and waits until it answers. */
  void restart() throws Exception {
    startServer();
  }

  private void initdb() throws Exception {
    Path log = dir.resolve("initdb.log");
    Process initdb =
        command(
                List.of(
                    bin.resolve("initdb").toString(),
                    "-D",
                    dir.resolve("data").toString(),
                    "-A",
                    "trust",
                    "-U",
                    "wif",
                    "-E",
                    "UTF8",
                    "--locale=C",
                    "--no-sync"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!initdb.waitFor(60, TimeUnit.SECONDS) || initdb.exitValue() != 0) {
      initdb.destroyForcibly();
      throw new IllegalStateException("initdb failed: " + Files.readString(log).strip());
    }
  }

  private void startServer() throws Exception {
    starts++;
    Path log = dir.resolve("postgres-" + starts + ".log");
    postmaster =
        command(
                List.of(
                    bin.resolve("postgres").toString(),
                    "-D",
                    dir.resolve("data").toString(),
                    "-p",
                    Integer.toString(port),
                    "-h",
                    "127.0.0.1",
                    "-k",
                    dir.toString(),
                    "-c",
                    "max_connections=100"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    long deadline = System.nanoTime() + START_LIMIT.toNanos();
    SQLException last = null;
    while (System.nanoTime() - deadline < 0) {
      if (!postmaster.isAlive()) {
        throw new IllegalStateException(
            "postgres exited with " + postmaster.exitValue() + ": " + Files.readString(log));
      }
      try (Connection c = connect()) {
        if (c.isValid(2)) {
          return;
        }
      } catch (SQLException e) {
        last = e;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(
        "PostgreSQL did not accept connections within " + START_LIMIT + ": " + last);
  }

  private ProcessBuilder command(List<String> args) {
    List<String> command = new ArrayList<>();
    if (asPostgresUser) {
      command.addAll(
          Arrays.asList("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"));
    }
    command.addAll(args);
    // postgres refuses a working directory it cannot read: use its own
    return new ProcessBuilder(command).directory(dir.toFile());
  }

  /** Stops the server (immediate shutdown) and removes its directory. Idempotent. */
  @Override
  public void close() throws IOException {
    if (postmaster != null && postmaster.isAlive()) {
      try {
        crash();
      } catch (Exception e) {
        postmaster.destroyForcibly();
      }
    }
    deleteRecursively(dir);
  }

  static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        File file = path.toFile();
        if (!file.delete() && file.exists()) {
          throw new IOException("cannot delete " + path);
        }
      }
    }
  }
}
