package dev.openwif.federation.admin;

import dev.openwif.audit.AuditEvent;
import dev.openwif.audit.AuditSink;
import dev.openwif.federation.IdGenerator;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * Records one {@link AuditEvent.AdminChange} per committed admin change, with the payload {@code
 * {"id", "identity_provider_id"?, "changes_requested"}} like OpenAI's audit log. Thread-safe when
 * the sink is.
 */
public final class AdminAudit {
  private final AuditSink sink;
  private final Clock clock;
  private final IdGenerator ids;

  public AdminAudit(AuditSink sink, Clock clock, IdGenerator ids) {
    this.sink = Objects.requireNonNull(sink, "sink");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ids = Objects.requireNonNull(ids, "ids");
  }

  /** Records {@code type} (e.g. {@code project.created}) about {@code objectId}. */
  public void record(String type, String objectId, Optional<String> providerId, ChangeNote note) {
    StringBuilder json = new StringBuilder("{\"id\":").append(quote(objectId));
    providerId.ifPresent(p -> json.append(",\"identity_provider_id\":").append(quote(p)));
    json.append(",\"changes_requested\":").append(note.changesRequestedJson()).append('}');
    sink.record(
        new AuditEvent.AdminChange(
            ids.next("audit"), clock.instant(), type, note.actor(), objectId, json.toString()));
  }

  /** A JSON string literal (RFC 8259 §7). */
  static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
