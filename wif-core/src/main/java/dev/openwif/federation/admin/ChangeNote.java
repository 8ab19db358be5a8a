package dev.openwif.federation.admin;

import java.util.Objects;

/**
 * Who asked for an admin change and what they asked for, for the audit log.
 *
 * @param actor the admin key id (never the secret) or {@code cli}
 * @param changesRequestedJson the request data as a JSON object (built by the HTTP layer), recorded
 *     as {@code changes_requested}; {@code {}} when there was none
 */
public record ChangeNote(String actor, String changesRequestedJson) {
  public ChangeNote {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(changesRequestedJson, "changesRequestedJson");
    if (!changesRequestedJson.startsWith("{") || !changesRequestedJson.endsWith("}")) {
      throw new IllegalArgumentException("changesRequestedJson must be a JSON object");
    }
  }
}
