package dev.openwif.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openwif.federation.ChangeChannel;
import dev.openwif.federation.FederationStore;
import dev.openwif.federation.RandomIdGenerator;
import dev.openwif.federation.admin.SigningKeyAdmin;
import dev.openwif.federation.admin.UnauditedChangeException;
import dev.openwif.server.ServerConfig;
import dev.openwif.token.MasterKeyFormat;
import dev.openwif.token.SigningKeyLifecycle;
import dev.openwif.token.SigningKeyRotation;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
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
 * {@code wif signing-keys list|rotate|retire}: manages the server's token signing keys directly on
 * the database (the same {@code --db} and {@code WIF_MASTER_KEY} as {@code wif serve}; allowed
 * while servers run: they re-read the keys every few seconds). Rotation and retirement are audited
 * ({@code signing_key.rotated}, {@code signing_key.retired}, actor {@code cli}) in the same
 * transaction as the change: when the audit row cannot be stored nothing changes and the command
 * exits 1 saying so.
 */
@Command(
    name = "signing-keys",
    mixinStandardHelpOptions = true,
    description =
        "List, rotate and retire the server's token signing keys (works on the database).",
    subcommands = {
      SigningKeysCommand.ListKeys.class,
      SigningKeysCommand.Rotate.class,
      SigningKeysCommand.Retire.class,
    })
public final class SigningKeysCommand implements Callable<Integer>, EnvironmentHelp.Documented {
  static final String ACTOR = "cli";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    return CliErrors.missingSubcommand(spec);
  }

  @Override
  public List<EnvironmentHelp.Variable> environment() {
    return List.of(
        new EnvironmentHelp.Variable(
            ServeCommand.MASTER_KEY_ENV,
            "The master key the signing keys are encrypted under (as for 'wif serve'); needed to"
                + " rotate once they are encrypted."));
  }

  /** The options every subcommand shares and the store-opening step. */
  static final class Database {
    @Option(
        names = "--db",
        paramLabel = "PATH|URL",
        description = "SQLite file (default: ${DEFAULT-VALUE}) or PostgreSQL URL.",
        defaultValue = ServerConfig.DEFAULT_DB)
    String db;

    @Option(
        names = "--token-ttl",
        paramLabel = "SECONDS",
        description =
            "The servers' --token-ttl (default: ${DEFAULT-VALUE}): a rotated-out key verifies"
                + " for that long plus 5 minutes.",
        defaultValue = "3600")
    long tokenTtlSeconds;

    /** The opened keys: the use cases, and how to tell running servers of a change. */
    record Opened(SigningKeyAdmin admin, FederationStore store) {
      /** True on PostgreSQL: several servers may share the database. */
      boolean sharedByNodes() {
        return store.changeChannel().isPresent();
      }

      /**
       * Tells the servers listening on the database (PostgreSQL) to re-read the keys now rather
       * than at their next poll. Best effort: a failure is logged and the poll still brings it.
       */
      void announce() {
        store.changeChannel().ifPresent(c -> c.publish(ChangeChannel.Change.SIGNING_KEYS));
      }
    }

    int run(CommandLine.Model.CommandSpec spec, Function<SigningKeyAdmin, Integer> action) {
      return open(spec, opened -> action.apply(opened.admin()));
    }

    int open(CommandLine.Model.CommandSpec spec, Function<Opened, Integer> action) {
      if (tokenTtlSeconds < 1) {
        CliErrors.print(spec, "--token-ttl must be a positive number of seconds");
        return 2;
      }
      Optional<String> masterKey =
          Optional.ofNullable(System.getenv(ServeCommand.MASTER_KEY_ENV))
              .filter(k -> !k.isBlank())
              .map(String::strip);
      Optional<String> masterKeyProblem = masterKey.flatMap(MasterKeyFormat::problem);
      if (masterKeyProblem.isPresent()) {
        CliErrors.print(spec, ServeCommand.MASTER_KEY_ENV + ": " + masterKeyProblem.get());
        return 2;
      }
      Optional<FederationStore> opened = ExistingDatabase.open(spec, db);
      if (opened.isEmpty()) {
        return 1;
      }
      try (FederationStore store = opened.get()) {
        return action.apply(
            new Opened(
                SigningKeyAdmin.forStore(
                    store,
                    masterKey,
                    Duration.ofSeconds(tokenTtlSeconds),
                    Clock.systemUTC(),
                    new RandomIdGenerator()),
                store));
      } catch (UnauditedChangeException | IllegalStateException e) {
        // a change whose audit row failed was rolled back with it; or the keys are encrypted and
        // WIF_MASTER_KEY is missing or wrong (never echoed): one line, exit non-zero
        CliErrors.print(spec, e);
        return 1;
      }
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description =
          "List the signing keys: kid, state (pending, active, verifying, retired), created, from"
              + " when each signs, and until when each still verifies.")
  static final class ListKeys implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin Database database;

    @Option(names = "--json", description = "Print a JSON array instead of a table.")
    boolean json;

    @Override
    public Integer call() {
      return database.run(
          spec,
          admin -> {
            List<SigningKeyLifecycle.Status> keys = admin.list();
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
              printJson(out, keys);
              return 0;
            }
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("KID", "STATE", "CREATED", "SIGNS FROM", "VERIFIES UNTIL"));
            for (SigningKeyLifecycle.Status s : keys) {
              rows.add(
                  List.of(
                      s.kid(),
                      s.state().label(),
                      s.key().createdAt().toString(),
                      s.key().activatesAt().toString(),
                      until(s)));
            }
            TextColumns.print(out, rows);
            return 0;
          });
    }

    private static String until(SigningKeyLifecycle.Status s) {
      return switch (s.state()) {
        case PENDING -> "(published; signs from its activation)";
        case ACTIVE ->
            s.verifiesUntil()
                .map(t -> t + " (signs until its successor activates)")
                .orElse("(signs; until rotated out)");
        case VERIFYING -> s.verifiesUntil().orElseThrow().toString();
        case RETIRED ->
            s.key()
                .retiredAt()
                .map(t -> "- (retired " + t + ")")
                .orElseGet(
                    () -> "- (expired " + s.verifiesUntil().map(Object::toString).orElse("") + ")");
      };
    }

    private static void printJson(PrintWriter out, List<SigningKeyLifecycle.Status> keys) {
      ObjectMapper mapper = new ObjectMapper();
      ArrayNode array = mapper.createArrayNode();
      for (SigningKeyLifecycle.Status s : keys) {
        ObjectNode node = array.addObject();
        node.put("kid", s.kid());
        node.put("state", s.state().label());
        node.put("created_at", s.key().createdAt().toString());
        node.put("activates_at", s.key().activatesAt().toString());
        node.put(
            "verifies_until",
            s.state() == SigningKeyLifecycle.State.VERIFYING
                    || s.state() == SigningKeyLifecycle.State.ACTIVE
                ? s.verifiesUntil().map(Object::toString).orElse(null)
                : null);
        node.put("retired_at", s.key().retiredAt().map(Object::toString).orElse(null));
      }
      out.println(array.toPrettyString());
      out.flush();
    }
  }

  @Command(
      name = "rotate",
      mixinStandardHelpOptions = true,
      description = {
        "Create a new signing key. On PostgreSQL it is published at once (every server lists it in"
            + " its JWKS and verifies it) and signs only after two of the servers' --sync-interval,"
            + " so every running server knows it before the first token it signs; on SQLite the"
            + " server signs with it from its next re-read (within 5 seconds).",
        "The old key keeps verifying (and stays in the JWKS) until its last token can have"
            + " expired: the new key's activation plus --token-ttl plus 5 minutes."
      })
  static final class Rotate implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin Database database;

    @Option(
        names = "--sync-interval",
        paramLabel = "SECONDS",
        description =
            "The servers' --sync-interval (default: ${DEFAULT-VALUE}): on PostgreSQL the new key"
                + " signs after twice this.",
        defaultValue = "5")
    long syncIntervalSeconds;

    @Option(
        names = "--now",
        description =
            "Let the new key sign at once instead of publishing it ahead (a leaked key: rotate"
                + " --now, then retire the old key with --force). A server that has not re-read the"
                + " keys yet refuses the new key's tokens for that moment; clients exchange again.")
    boolean now;

    @Override
    public Integer call() {
      if (syncIntervalSeconds < ServerConfig.MIN_SYNC_INTERVAL_SECONDS
          || syncIntervalSeconds > ServerConfig.MAX_SYNC_INTERVAL_SECONDS) {
        CliErrors.print(
            spec,
            "--sync-interval must be between "
                + ServerConfig.MIN_SYNC_INTERVAL_SECONDS
                + " and "
                + ServerConfig.MAX_SYNC_INTERVAL_SECONDS
                + " seconds, as for 'wif serve'");
        return 2;
      }
      return database.open(
          spec,
          opened -> {
            Duration ahead =
                now
                    ? Duration.ZERO
                    : SigningKeyRotation.publishAhead(
                        Duration.ofSeconds(syncIntervalSeconds), opened.sharedByNodes());
            Optional<SigningKeyRotation.Rotated> rotated = opened.admin().rotate(ahead, ACTOR);
            if (rotated.isEmpty()) {
              CliErrors.print(
                  spec,
                  "another process rotated the keys at the same moment; nothing changed here"
                      + " (see 'wif signing-keys list')");
              return 1;
            }
            opened.announce();
            PrintWriter out = spec.commandLine().getOut();
            SigningKeyRotation.Rotated r = rotated.get();
            if (ahead.isZero()) {
              out.println("Rotated. New active signing key: " + r.activeKid());
              out.println("Running servers pick up the new key within a few seconds.");
            } else {
              out.println(
                  "Rotated. New signing key "
                      + r.activeKid()
                      + " is published now and signs from "
                      + r.activatesAt()
                      + " (in "
                      + ahead.toSeconds()
                      + " s); until then "
                      + r.previousKid()
                      + " signs.");
              out.println("Running servers were told to re-read their keys.");
            }
            out.println(
                "Previous key "
                    + r.previousKid()
                    + " verifies until "
                    + r.previousVerifiesUntil()
                    + ".");
            out.flush();
            return 0;
          });
    }
  }

  @Command(
      name = "retire",
      mixinStandardHelpOptions = true,
      description =
          "Retire a key: it verifies nothing from then on, leaves the JWKS, and its private part is"
              + " erased. Never the active key; a key that may still verify unexpired tokens only"
              + " with --force.")
  static final class Retire implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin Database database;

    @Parameters(paramLabel = "KID", description = "The key's kid (see 'wif signing-keys list').")
    String kid;

    @Option(
        names = "--force",
        description =
            "Retire a key that may still verify unexpired tokens (a leaked key); those tokens are"
                + " refused from then on.")
    boolean force;

    @Override
    public Integer call() {
      return database.open(
          spec,
          opened ->
              switch (opened.admin().retire(kid, force, ACTOR)) {
                case SigningKeyRotation.Retirement.Done done -> {
                  opened.announce();
                  spec.commandLine()
                      .getOut()
                      .println(
                          "Retired signing key "
                              + done.kid()
                              + ". Running servers stop accepting it within a few seconds.");
                  spec.commandLine().getOut().flush();
                  yield 0;
                }
                case SigningKeyRotation.Retirement.Refused refused -> {
                  CliErrors.print(spec, refused.reason());
                  yield 1;
                }
              });
    }
  }
}
