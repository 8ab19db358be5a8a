package dev.openwif.server.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.openwif.federation.admin.ChangeNote;
import dev.openwif.server.dashboard.DashboardSessions.Session;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The audit note of a dashboard change: the signed-in admin key's id as actor and the submitted
 * fields as JSON (marked {@code "via": "dashboard"}). Thread-safe.
 */
final class Notes {
  private final ObjectMapper json;

  Notes(ObjectMapper json) {
    this.json = json;
  }

  ChangeNote of(Session session, Map<String, ?> fields) {
    Map<String, Object> body = new LinkedHashMap<>(fields);
    body.put("via", "dashboard");
    try {
      return new ChangeNote(session.adminKeyId(), json.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      return new ChangeNote(session.adminKeyId(), "{\"via\":\"dashboard\"}");
    }
  }
}
