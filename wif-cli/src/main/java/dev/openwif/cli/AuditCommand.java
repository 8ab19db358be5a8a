package dev.openwif.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.openwif.federation.FederationStore;
import dev.openwif.server.ServerConfig;
import dev.openwif.store.JdbcFederationStore;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wif audit list|tail} (a running server's audit log, through the admin API) and {@code wif
 * audit export} (the audit log for a SIEM, offline on the database).
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "List and tail a server's audit log, or export it from the database.",
    subcommands = {
      AuditRemoteCommands.ListEvents.class,
      AuditRemoteCommands.Tail.class,
      AuditCommand.Export.class
    })
public final class AuditCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    return CliErrors.missingSubcommand(spec);
  }

  /** Output formats: JSON lines only, for now. */
  enum Format {
    jsonl
  }

  /**
   * {@code wif audit export --db … [--since INSTANT] [--format jsonl] [--out FILE]}: one JSON
   * object per audit row, oldest first, streamed from the database. Field names are the audit
   * columns ({@code id}, {@code kind}, {@code type}, {@code occurred_at} as ISO-8601, {@code
   * actor}, {@code object_id}, {@code data}, {@code reason_code}, {@code detail}, {@code
   * provider_id}, {@code rule_id}, {@code service_account_id}, {@code external_subject}, {@code
   * subject_token_hash}, {@code access_token_jti}, {@code client_address}, {@code event_count}); a
   * column without a value is left out.
   */
  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description = "Write audit events as JSON lines, oldest first, for a SIEM.")
  static final class Export implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--db",
        paramLabel = "PATH|URL",
        description = "SQLite file (default: ${DEFAULT-VALUE}) or PostgreSQL URL.",
        defaultValue = ServerConfig.DEFAULT_DB)
    String db;

    @Option(
        names = "--since",
        paramLabel = "INSTANT",
        description =
            "Only events recorded at or after this instant, in UTC as ISO-8601 (default: all).")
    Optional<String> since;

    @Option(
        names = "--format",
        paramLabel = "FORMAT",
        description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
        defaultValue = "jsonl")
    Format format;

    @Option(
        names = "--out",
        paramLabel = "FILE",
        description = "Write to this new file (mode 0600) instead of standard output.")
    Optional<Path> out;

    @Override
    public Integer call() {
      Instant from;
      try {
        from = since.map(Instant::parse).orElse(Instant.EPOCH);
      } catch (DateTimeParseException e) {
        CliErrors.print(
            spec,
            "--since "
                + since.orElseThrow()
                + " is not an instant such as 2026-12-01T00:00:00Z (UTC, ISO-8601)");
        return 2;
      }
      if (out.isPresent() && Files.exists(out.get())) {
        CliErrors.print(spec, out.get() + " already exists: give a new file for --out");
        return 1;
      }
      Optional<FederationStore> opened = ExistingDatabase.open(spec, db);
      if (opened.isEmpty()) {
        return 1;
      }
      try (FederationStore store = opened.get();
          Writer writer = output();
          JsonGenerator json =
              JSON.getFactory()
                  .createGenerator(writer)
                  .configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false)) {
        json.setRootValueSeparator(null);
        long rows = ((JdbcFederationStore) store).exportAudit(from, row -> write(json, row));
        json.flush();
        if (out.isPresent()) {
          spec.commandLine().getErr().println("Exported " + rows + " audit events to " + out.get());
          spec.commandLine().getErr().flush();
        }
        return 0;
      } catch (IOException | UncheckedIOException e) {
        CliErrors.print(spec, "cannot write the export: " + e.getMessage());
        return 1;
      }
    }

    /** Standard output (left open), or the new file. */
    private Writer output() throws IOException {
      if (out.isEmpty()) {
        PrintWriter stdout = spec.commandLine().getOut();
        return new FilterWriter(stdout) {
          @Override
          public void close() {
            stdout.flush();
          }
        };
      }
      Path file = out.get();
      if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      return Files.newBufferedWriter(
          file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    private static void write(JsonGenerator json, Map<String, Object> row) {
      try {
        json.writeStartObject();
        for (Map.Entry<String, Object> column : row.entrySet()) {
          switch (column.getKey()) {
            case "occurred_at" ->
                json.writeStringField("occurred_at", column.getValue().toString());
            case "event_count" -> json.writeNumberField("event_count", (Long) column.getValue());
            case "data_json" -> {
              json.writeFieldName("data");
              json.writeTree(JSON.readTree(column.getValue().toString()));
            }
            default -> json.writeStringField(column.getKey(), column.getValue().toString());
          }
        }
        json.writeEndObject();
        json.writeRaw('\n');
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
