package dev.openwif.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.openwif.cli.admin.AdminApiClient;
import dev.openwif.cli.admin.Column;
import dev.openwif.cli.admin.Output;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wif audit list} and {@code wif audit tail}: the audit log of a running server, through
 * {@code GET /v1/organization/audit_logs} (newest first, at most 100 a page).
 */
final class AuditRemoteCommands {
  private AuditRemoteCommands() {}

  static final List<Column> COLUMNS =
      List.of(
          Column.time("TIME", "effective_at"),
          Column.of("TYPE", "type"),
          new Column("ACTOR", AuditRemoteCommands::actor),
          new Column("DETAIL", AuditRemoteCommands::detail),
          Column.of("ID", "id"));

  /** Who did it: the admin key's id, or the workload's external subject. */
  static String actor(JsonNode event) {
    JsonNode actor = event.path("actor");
    return switch (actor.path("type").asText()) {
      case "api_key" -> "key " + Column.text(actor.path("api_key").path("id"));
      case "workload" -> Column.text(actor.path("workload").path("external_subject"));
      default -> Column.NONE_TEXT;
    };
  }

  /** What happened: an exchange's outcome and reason, or the changed object's id. */
  static String detail(JsonNode event) {
    JsonNode payload = event.path(event.path("type").asText());
    if (payload.has("outcome")) {
      String reason =
          payload.path("reason_code").isTextual() ? " " + payload.path("reason_code").asText() : "";
      int count = payload.path("count").asInt(1);
      return payload.path("outcome").asText() + reason + (count > 1 ? " (x" + count + ")" : "");
    }
    return Column.text(payload.path("id"));
  }

  /** The filters both commands take. */
  static final class Filters {
    @Option(
        names = "--type",
        paramLabel = "TYPE",
        description = "Only events of this type (repeatable).")
    List<String> types = List.of();

    Map<String, String> query() {
      Map<String, String> query = new LinkedHashMap<>();
      if (!types.isEmpty()) {
        query.put("type", String.join(",", types));
      }
      return query;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List a server's audit events, newest first.")
  static final class ListEvents extends AdminRequestCommand {
    @CommandLine.Mixin PageOptions page;
    @CommandLine.Mixin Filters filters;

    @Option(
        names = "--since",
        paramLabel = "UNIX_SECONDS",
        description = "Only events at or after this Unix time.")
    Optional<Long> since = Optional.empty();

    @Option(
        names = "--until",
        paramLabel = "UNIX_SECONDS",
        description = "Only events before this Unix time.")
    Optional<Long> until = Optional.empty();

    @Override
    JsonNode request(AdminApiClient client) {
      Map<String, String> query = filters.query();
      query.putAll(page.query());
      since.ifPresent(s -> query.put("since", Long.toString(s)));
      until.ifPresent(s -> query.put("until", Long.toString(s)));
      return client.get("/audit_logs", query);
    }

    @Override
    List<Column> columns() {
      return COLUMNS;
    }
  }

  /**
   * {@code wif audit tail [-n N] [--follow [--follow-for DURATION]]}: the last events, oldest
   * first; with {@code --follow}, then the new ones as they come, polled every {@code --interval}
   * (each event once: a poll asks from the newest second seen, and skips the ids already shown).
   * {@code -o json} prints one JSON object per line.
   */
  @Command(
      name = "tail",
      mixinStandardHelpOptions = true,
      description = "Show a server's last audit events, and with --follow the new ones.")
  static final class Tail extends RemoteAdminCommand {
    private static final int PAGE = 100;
    private static final int MAX_PAGES_PER_POLL = 10;

    @CommandLine.Mixin Filters filters;

    @Option(
        names = {"-n", "--lines"},
        paramLabel = "N",
        description =
            "How many of the last events to show first, 1 to 100 (default: ${DEFAULT-VALUE}).",
        defaultValue = "10")
    int lines;

    @Option(names = "--follow", description = "Keep showing new events until stopped.")
    boolean follow;

    @Option(
        names = "--follow-for",
        paramLabel = "DURATION",
        description = "Stop following after this long, for example 90s or 5m (default: never).")
    Optional<String> followFor = Optional.empty();

    @Option(
        names = "--interval",
        paramLabel = "SECONDS",
        description = "Seconds between two polls while following (default: ${DEFAULT-VALUE}).",
        defaultValue = "2")
    int interval;

    private final Set<String> seen = new HashSet<>();
    private long newest = -1;
    private int[] widths = new int[0];

    @Override
    public Integer call() {
      if (lines < 1 || lines > PAGE) {
        CliErrors.print(spec, "-n must be between 1 and " + PAGE);
        return 2;
      }
      if (interval < 1 || interval > 3600) {
        CliErrors.print(spec, "--interval must be between 1 and 3600 seconds");
        return 2;
      }
      Optional<Duration> limit;
      try {
        limit = followFor.map(text -> DurationFlag.parse("--follow-for", text));
      } catch (IllegalArgumentException e) {
        CliErrors.print(spec, e);
        return 2;
      }
      if (limit.isPresent() && !follow) {
        CliErrors.print(spec, "--follow-for needs --follow");
        return 2;
      }
      return run(client -> tail(client, limit));
    }

    private int tail(AdminApiClient client, Optional<Duration> limit) {
      Map<String, String> first = filters.query();
      first.put("limit", Integer.toString(lines));
      List<JsonNode> last = new ArrayList<>();
      client.get("/audit_logs", first).path("data").forEach(last::add);
      show(last.reversed(), true);
      if (!follow) {
        return 0;
      }
      long deadline = limit.map(d -> System.nanoTime() + d.toNanos()).orElse(Long.MAX_VALUE);
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return 0;
        }
        try {
          Thread.sleep(Math.min(Duration.ofSeconds(interval).toMillis(), left / 1_000_000 + 1));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return 0;
        }
        show(poll(client), false);
      }
    }

    /** The events not shown yet, oldest first: pages from the newest back to a known one. */
    private List<JsonNode> poll(AdminApiClient client) {
      List<JsonNode> fresh = new ArrayList<>();
      Optional<String> after = Optional.empty();
      for (int page = 0; page < MAX_PAGES_PER_POLL; page++) {
        Map<String, String> query = filters.query();
        query.put("limit", Integer.toString(PAGE));
        if (newest >= 0) {
          query.put("since", Long.toString(newest));
        }
        after.ifPresent(id -> query.put("after", id));
        JsonNode answer = client.get("/audit_logs", query);
        boolean reachedShown = false;
        for (JsonNode event : answer.path("data")) {
          if (seen.contains(event.path("id").asText())) {
            reachedShown = true;
          } else {
            fresh.add(event);
          }
        }
        if (reachedShown || !answer.path("has_more").asBoolean(false)) {
          break;
        }
        after = Optional.of(answer.path("last_id").asText());
      }
      return fresh.reversed();
    }

    private void show(List<JsonNode> events, boolean first) {
      PrintWriter out = spec.commandLine().getOut();
      for (JsonNode event : events) {
        long at = event.path("effective_at").asLong();
        if (at > newest) {
          newest = at;
          seen.clear();
        }
        seen.add(event.path("id").asText());
      }
      switch (output.format()) {
        case json -> events.forEach(e -> out.println(e.toString()));
        case yaml -> events.forEach(e -> out.print("---\n" + Output.yaml(e)));
        case table -> table(out, events, first);
      }
      out.flush();
    }

    /** Rows under one heading, kept at least as wide as the first batch's columns. */
    private void table(PrintWriter out, List<JsonNode> events, boolean first) {
      List<List<String>> rows = new ArrayList<>();
      if (first) {
        rows.add(COLUMNS.stream().map(Column::heading).toList());
      }
      for (JsonNode event : events) {
        rows.add(COLUMNS.stream().map(c -> c.cell().apply(event)).toList());
      }
      if (first) {
        widths = new int[COLUMNS.size()];
        for (List<String> row : rows) {
          for (int i = 0; i < row.size(); i++) {
            widths[i] = Math.max(widths[i], row.get(i).length());
          }
        }
      }
      for (List<String> row : rows) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < row.size(); i++) {
          String cell = row.get(i);
          line.append(cell);
          if (i < row.size() - 1) {
            line.append(" ".repeat(Math.max(0, widths[i] - cell.length()) + 2));
          }
        }
        out.println(line.toString().stripTrailing());
      }
    }
  }
}
