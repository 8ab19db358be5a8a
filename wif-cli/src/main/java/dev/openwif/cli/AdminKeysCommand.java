package dev.openwif.cli;

import dev.openwif.federation.AdminKey;
import dev.openwif.federation.FederationStore;
import dev.openwif.federation.RandomIdGenerator;
import dev.openwif.federation.admin.AdminAudit;
import dev.openwif.federation.admin.AdminKeys;
import dev.openwif.federation.admin.AdminWriteLock;
import dev.openwif.server.ServerConfig;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wif admin-keys create|list|revoke}: manages admin API keys offline, directly on the
 * database (the same {@code --db} as {@code wif serve}; SQLite allows it while the server runs). A
 * created key's secret is printed once; only its SHA-256 is stored. A SQLite {@code --db} that does
 * not exist is refused (a mistyped path must not create an empty database). Creating and revoking a
 * key writes an admin audit row ({@code admin_key.created|revoked}, actor {@code cli}) in the same
 * transaction.
 */
@Command(
    name = "admin-keys",
    mixinStandardHelpOptions = true,
    description = "Create, list and revoke admin API keys (works offline on the database).",
    subcommands = {
      AdminKeysCommand.Create.class,
      AdminKeysCommand.ListKeys.class,
      AdminKeysCommand.Revoke.class,
    })
public final class AdminKeysCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Without a sub-command: a usage error, so the usage goes to standard error. Exit 2. */
  @Override
  public Integer call() {
    return CliErrors.missingSubcommand(spec);
  }

  /** The {@code --db} option and the store-opening step every subcommand shares. */
  static final class Database {
    @Option(
        names = "--db",
        paramLabel = "PATH|URL",
        description = "SQLite file (default: ${DEFAULT-VALUE}) or PostgreSQL URL.",
        defaultValue = ServerConfig.DEFAULT_DB)
    String db;

    int run(CommandLine.Model.CommandSpec spec, Function<AdminKeys, Integer> action) {
      Optional<FederationStore> opened = ExistingDatabase.open(spec, db);
      if (opened.isEmpty()) {
        return 1;
      }
      try (FederationStore store = opened.get()) {
        Clock clock = Clock.systemUTC();
        RandomIdGenerator ids = new RandomIdGenerator();
        // each change and its admin audit row (actor "cli") commit together
        return action.apply(
            new AdminKeys(
                store.adminKeys(),
                new AdminWriteLock(store.adminTransactions()),
                new AdminAudit(store.adminAuditSink(), clock, ids),
                "cli",
                clock,
                ids,
                new SecureRandom()));
      }
    }
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create an admin key and print its secret once.")
  static final class Create implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin Database database;

    @Option(
        names = "--name",
        description = "A label for the key (default: ${DEFAULT-VALUE}).",
        defaultValue = "cli")
    String name;

    @Override
    public Integer call() {
      return database.run(
          spec,
          keys -> {
            AdminKeys.Created created = keys.create(name);
            PrintWriter out = spec.commandLine().getOut();
            out.println(
                "Created admin key "
                    + created.key().id()
                    + " ("
                    + name
                    + "). Its secret is shown only this once:");
            out.println();
            out.println("    " + created.secret());
            out.println();
            return 0;
          });
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List admin keys (ids, names, prefixes; never secrets).")
  static final class ListKeys implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin Database database;

    @Override
    public Integer call() {
      return database.run(
          spec,
          keys -> {
            PrintWriter out = spec.commandLine().getOut();
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("ID", "NAME", "PREFIX", "CREATED", "STATUS"));
            for (AdminKey k : keys.list()) {
              rows.add(
                  List.of(
                      k.id(),
                      k.name(),
                      k.shownPrefix() + "...",
                      k.createdAt().toString(),
                      k.revokedAt().map(t -> "revoked " + t).orElse("active")));
            }
            TextColumns.print(out, rows);
            return 0;
          });
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = "Revoke an admin key by id.")
  static final class Revoke implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin Database database;

    @Parameters(paramLabel = "ID", description = "The key id, for example admin_key_3f9a...")
    String id;

    @Override
    public Integer call() {
      return database.run(
          spec,
          keys -> {
            if (keys.revoke(id)) {
              spec.commandLine().getOut().println("Revoked admin key " + id + ".");
              return 0;
            }
            CliErrors.print(spec, "no active admin key with id '" + id + "'");
            return 1;
          });
    }
  }
}
