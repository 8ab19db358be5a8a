package dev.openwif.bench.soak;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The driver's settings, parsed strictly from {@code --name value} arguments; the admin key comes
 * from the environment ({@code WIF_SOAK_ADMIN_KEY}), never from the command line.
 *
 * @param server the server's base URL, e.g. {@code http://127.0.0.1:18080}
 * @param serverPid the server's process id (for heap samples)
 * @param durationSeconds how long the traffic runs
 * @param issuerDownSeconds how long the issuer stays down
 * @param dbDownSeconds how long the database stays down
 * @param dbStopCommand a shell command that stops the database (empty: no database restart)
 * @param dbStartCommand a shell command that starts it again
 * @param sampleEverySeconds seconds between heap samples
 * @param jcmd the {@code jcmd} binary
 * @param adminKey the admin key
 */
record SoakSettings(
    String server,
    long serverPid,
    long durationSeconds,
    long issuerDownSeconds,
    long dbDownSeconds,
    String dbStopCommand,
    String dbStartCommand,
    long sampleEverySeconds,
    String jcmd,
    String adminKey) {

  private static final List<String> NAMES =
      List.of(
          "--server",
          "--server-pid",
          "--duration",
          "--issuer-down",
          "--db-down",
          "--db-stop-command",
          "--db-start-command",
          "--sample-every",
          "--jcmd");

  /** Parses the arguments; throws {@link IllegalArgumentException} naming what is wrong. */
  static SoakSettings parse(String[] args, Map<String, String> env) {
    Map<String, String> given = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      String name = args[i];
      if (!NAMES.contains(name)) {
        throw new IllegalArgumentException("unknown option " + name + "; options: " + NAMES);
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      if (given.put(name, args[i + 1]) != null) {
        throw new IllegalArgumentException(name + " given twice");
      }
    }
    String server = required(given, "--server");
    if (!server.startsWith("http://127.0.0.1:")) {
      throw new IllegalArgumentException("--server must be http://127.0.0.1:PORT, was " + server);
    }
    long duration = seconds(given, "--duration", 600);
    if (duration < 60) {
      throw new IllegalArgumentException("--duration must be at least 60 seconds");
    }
    String stop = given.getOrDefault("--db-stop-command", "");
    String start = given.getOrDefault("--db-start-command", "");
    if (stop.isEmpty() != start.isEmpty()) {
      throw new IllegalArgumentException("--db-stop-command and --db-start-command go together");
    }
    required(given, "--server-pid");
    String key = Optional.ofNullable(env.get("WIF_SOAK_ADMIN_KEY")).orElse("");
    if (key.isBlank()) {
      throw new IllegalArgumentException(
          "the environment variable WIF_SOAK_ADMIN_KEY must hold the admin key");
    }
    return new SoakSettings(
        server,
        seconds(given, "--server-pid", 0),
        duration,
        seconds(given, "--issuer-down", Math.min(60, duration * 15 / 100)),
        seconds(given, "--db-down", Math.min(20, duration / 10)),
        stop,
        start,
        seconds(given, "--sample-every", Math.min(30, duration / 6)),
        given.getOrDefault("--jcmd", System.getProperty("java.home", "/usr") + "/bin/jcmd"),
        key);
  }

  private static String required(Map<String, String> given, String name) {
    String value = given.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
    return value;
  }

  private static long seconds(Map<String, String> given, String name, long fallback) {
    String value = given.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      long n = Long.parseLong(value);
      if (n < 1) {
        throw new IllegalArgumentException(name + " must be a positive whole number, was " + value);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, was " + value, e);
    }
  }
}
