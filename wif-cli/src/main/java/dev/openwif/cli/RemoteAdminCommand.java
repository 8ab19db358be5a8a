package dev.openwif.cli;

import dev.openwif.cli.admin.AdminApiClient;
import dev.openwif.cli.admin.AdminApiException;
import dev.openwif.cli.admin.AdminApiUnreachableException;
import dev.openwif.cli.admin.AdminConnection;
import dev.openwif.cli.admin.OutputOptions;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * What every remote admin command shares: the connection and output options and the exit codes: 0
 * done; 1 the server refused (its message on one {@code wif: error:} line); 2 a usage error,
 * including a missing server or admin key; {@value #UNREACHABLE} no answer from the server
 * (connection refused, timeout, TLS failure).
 */
abstract class RemoteAdminCommand implements Callable<Integer>, EnvironmentHelp.Documented {
  /** The exit code when the server could not be reached. */
  static final int UNREACHABLE = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @CommandLine.Mixin AdminConnection connection;
  @CommandLine.Mixin OutputOptions output;

  /** One remote action: its exceptions become the documented exit codes and one error line. */
  int run(Action action) {
    AdminApiClient client;
    try {
      client = connection.client();
    } catch (IllegalArgumentException e) {
      CliErrors.print(spec, e);
      return 2;
    }
    try {
      return action.run(client);
    } catch (AdminApiException e) {
      CliErrors.print(spec, e.serverMessage() + " (HTTP " + e.status() + ")");
      return 1;
    } catch (AdminApiUnreachableException e) {
      CliErrors.print(spec, e);
      return UNREACHABLE;
    } catch (IllegalArgumentException e) {
      // a bad -f file or field option, found while building the request
      CliErrors.print(spec, e);
      return 2;
    }
  }

  /** An action against the admin API; returns the exit code. */
  @FunctionalInterface
  interface Action {
    int run(AdminApiClient client);
  }

  @Override
  public List<EnvironmentHelp.Variable> environment() {
    return List.of(
        new EnvironmentHelp.Variable(
            AdminConnection.SERVER_ENV, "The server's base URL, when --server is not given."),
        new EnvironmentHelp.Variable(
            AdminConnection.ADMIN_KEY_ENV,
            "The admin key, when --admin-key-file is not given (never a flag value)."));
  }
}
