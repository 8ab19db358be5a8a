package dev.openwif.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.openwif.audit.AuditEvent;
import dev.openwif.store.JdbcFederationStore;
import dev.openwif.store.Stores;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AuditCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = WifCommand.commandLine(Map.of());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private Path databaseWithEvents(int count) {
    Path db = dir.resolve("wif.db");
    try (JdbcFederationStore store = Stores.open(db.toString())) {
      for (int i = 0; i < count; i++) {
        store.adminAuditSink().record(change(i));
      }
    }
    return db;
  }

  private static AuditEvent change(int i) {
    return new AuditEvent.AdminChange(
        "evt_" + i,
        Instant.parse("2026-12-01T00:00:00Z").plusSeconds(i),
        "project.created",
        "key_1",
        "proj_" + i,
        "{\"name\":\"project " + i + "\"}");
  }

  @Test
  void exportWhenSinceGivenThenOneJsonObjectPerLaterRowOldestFirst() throws Exception {
    Path db = databaseWithEvents(5);

    Run run = run("audit", "export", "--db", db.toString(), "--since", "2026-12-01T00:00:02Z");

    assertThat(run.exit()).as(run.err()).isZero();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : run.out().lines().toList()) {
      lines.add(JSON.readTree(line));
    }
    assertThat(lines)
        .extracting(l -> l.path("object_id").asText())
        .containsExactly("proj_2", "proj_3", "proj_4");
    assertThat(lines.getFirst().path("occurred_at").asText()).isEqualTo("2026-12-01T00:00:02Z");
    assertThat(lines.getFirst().path("type").asText()).isEqualTo("project.created");
    assertThat(lines.getFirst().path("kind").asText()).isEqualTo("admin_change");
    assertThat(lines.getFirst().path("data").isObject()).isTrue();
  }

  @Test
  void exportWhenOutGivenThenNewPrivateFileAndAnExistingOneRefused() throws Exception {
    Path db = databaseWithEvents(2);
    Path out = dir.resolve("audit.jsonl");

    Run run = run("audit", "export", "--db", db.toString(), "--out", out.toString());

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(Files.readAllLines(out)).hasSize(2);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
        .isEqualTo("rw-------");
    assertThat(run("audit", "export", "--db", db.toString(), "--out", out.toString()).err())
        .isEqualTo("wif: error: " + out + " already exists: give a new file for --out\n");
  }

  @Test
  void exportWhenSinceNotAnInstantThenOneLineAndExit2() {
    Run run =
        run("audit", "export", "--db", dir.resolve("none.db").toString(), "--since", "yesterday");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "wif: error: --since yesterday is not an instant such as 2026-12-01T00:00:00Z (UTC, ISO-8601)\n");
  }
}
