package dev.openwif.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

    int run(CommandLine.Model.CommandSpec spec, Function<SigningKeyAdmin, Integer> action) {
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
            SigningKeyAdmin.forStore(
                store,
                masterKey,
                Duration.ofSeconds(tokenTtlSeconds),
                Clock.systemUTC(),
                new RandomIdGenerator()));
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
          "List the signing keys: kid, state (active, verifying, retired), created, and until when"
              + " each still verifies.")
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
            rows.add(List.of("KID", "STATE", "CREATED", "VERIFIES UNTIL"));
            for (SigningKeyLifecycle.Status s : keys) {
              rows.add(
                  List.of(s.kid(), s.state().label(), s.key().createdAt().toString(), until(s)));
            }
            TextColumns.print(out, rows);
            return 0;
          });
    }

    private static String until(SigningKeyLifecycle.Status s) {
      return switch (s.state()) {
        case ACTIVE -> "(signs; until rotated out)";
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
        node.put(
            "verifies_until",
            s.state() == SigningKeyLifecycle.State.VERIFYING
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
      description =
          "Create a new active key; the old one keeps verifying (and stays in the JWKS) until its"
              + " last token can have expired: --token-ttl plus 5 minutes.")
  static final class Rotate implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin Database database;

    @Override
    public Integer call() {
      return database.run(
          spec,
          admin -> {
            Optional<SigningKeyRotation.Rotated> rotated = admin.rotate(ACTOR);
            if (rotated.isEmpty()) {
              CliErrors.print(
                  spec,
                  "another process rotated the keys at the same moment; nothing changed here"
                      + " (see 'wif signing-keys list')");
              return 1;
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("Rotated. New active signing key: " + rotated.get().activeKid());
            out.println(
                "Previous key "
                    + rotated.get().previousKid()
                    + " verifies until "
                    + rotated.get().previousVerifiesUntil()
                    + ".");
            out.println("Running servers pick up the new key within a few seconds.");
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
      return database.run(
          spec,
          admin ->
              switch (admin.retire(kid, force, ACTOR)) {
                case SigningKeyRotation.Retirement.Done done -> {
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
