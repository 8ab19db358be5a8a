package dev.openwif.usage;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * What one minute of usage is counted under. {@code model} is empty when the upstream's answer
 * named none (an error, a non-model route). Immutable.
 *
 * @param minute the start of the minute (whole minutes, UTC)
 * @param statusClass the answer's status class: {@code 2xx}, {@code 3xx}, {@code 4xx} or {@code
 *     5xx}
 */
public record UsageKey(
    Instant minute,
    String projectId,
    String serviceAccountId,
    String providerId,
    String model,
    String statusClass) {
  /** Longest model name kept (longer ones are cut): the model comes from the upstream's answer. */
  public static final int MAX_MODEL = 128;

  public UsageKey {
    Objects.requireNonNull(minute, "minute");
    Objects.requireNonNull(projectId, "projectId");
    Objects.requireNonNull(serviceAccountId, "serviceAccountId");
    Objects.requireNonNull(providerId, "providerId");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(statusClass, "statusClass");
    if (!minute.equals(minute.truncatedTo(ChronoUnit.MINUTES))) {
      throw new IllegalArgumentException("minute must be a whole minute: " + minute);
    }
    if (model.length() > MAX_MODEL) {
      model = model.substring(0, MAX_MODEL);
    }
  }

  /** The status class of an HTTP status: {@code 2xx} for 200..299 and so on. */
  public static String statusClass(int status) {
    if (status < 100 || status > 599) {
      return "5xx";
    }
    return (status / 100) + "xx";
  }
}
