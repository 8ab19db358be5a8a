package dev.openwif.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.openwif.cli.admin.AdminApiClient;
import dev.openwif.cli.admin.Column;
import dev.openwif.cli.admin.Output;
import java.util.List;

/**
 * A remote admin command that makes one request and prints its answer in the chosen format (the
 * server's rule warnings and the next page's cursor on standard error).
 */
abstract class AdminRequestCommand extends RemoteAdminCommand {
  /** The request this command makes; its answer is printed. */
  abstract JsonNode request(AdminApiClient client);

  /** The columns of the table of a list answer. */
  abstract List<Column> columns();

  @Override
  public Integer call() {
    return run(this::printAnswer);
  }

  private int printAnswer(AdminApiClient client) {
    JsonNode answer = request(client);
    Output.print(spec.commandLine().getOut(), output.format(), answer, columns());
    // a saved rule that matches too broadly: the server's warnings, on standard error
    for (JsonNode warning : answer.path("warnings")) {
      spec.commandLine().getErr().println("wif: warning: " + warning.path("message").asText());
    }
    if (Output.isList(answer) && answer.path("has_more").asBoolean(false)) {
      spec.commandLine()
          .getErr()
          .println("(more: add --after " + answer.path("last_id").asText() + " for the next page)");
      spec.commandLine().getErr().flush();
    }
    return 0;
  }
}
