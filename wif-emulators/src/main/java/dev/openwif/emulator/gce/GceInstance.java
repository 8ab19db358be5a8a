package dev.openwif.emulator.gce;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The emulated virtual machine: its default service account, project and placement, as the metadata
 * server reports them and as the {@code google.compute_engine} claims of a {@code format=full}
 * token carry them.
 *
 * @param serviceAccountEmail the default service account, e.g. {@code
 *     sa@project.iam.gserviceaccount.com}
 * @param projectId the project id, e.g. {@code my-project}
 * @param projectNumber the numeric project number
 * @param zone the zone name, e.g. {@code us-central1-a}
 * @param instanceId the numeric instance id, as a decimal string
 * @param instanceName the instance name
 * @param creationTimestamp when the instance was created
 * @param licenseIds license codes reported with {@code licenses=TRUE}; may be empty
 */
public record GceInstance(
    String serviceAccountEmail,
    String projectId,
    long projectNumber,
    String zone,
    String instanceId,
    String instanceName,
    Instant creationTimestamp,
    List<String> licenseIds) {
  private static final Pattern PROJECT_ID = Pattern.compile("[a-z][a-z0-9-]{4,28}[a-z0-9]");
  private static final Pattern ZONE = Pattern.compile("[a-z]+-[a-z]+[0-9]+-[a-z]");
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,20}");

  public GceInstance {
    Objects.requireNonNull(serviceAccountEmail, "serviceAccountEmail");
    Objects.requireNonNull(projectId, "projectId");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(instanceName, "instanceName");
    Objects.requireNonNull(creationTimestamp, "creationTimestamp");
    licenseIds = List.copyOf(licenseIds);
    int at = serviceAccountEmail.indexOf('@');
    if (at < 1
        || at == serviceAccountEmail.length() - 1
        || serviceAccountEmail.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException(
          "service account email is not an email address: '" + serviceAccountEmail + "'");
    }
    if (!PROJECT_ID.matcher(projectId).matches()) {
      throw new IllegalArgumentException(
          "project id must be 6-30 lower-case letters, digits or hyphens, starting with a letter: '"
              + projectId
              + "'");
    }
    if (projectNumber <= 0) {
      throw new IllegalArgumentException("project number must be positive, got " + projectNumber);
    }
    if (!ZONE.matcher(zone).matches()) {
      throw new IllegalArgumentException("zone must look like 'us-central1-a': '" + zone + "'");
    }
    if (!DIGITS.matcher(instanceId).matches()) {
      throw new IllegalArgumentException(
          "instance id must be decimal digits: '" + instanceId + "'");
    }
    if (instanceName.isBlank()) {
      throw new IllegalArgumentException("instance name must not be blank");
    }
  }

  /**
   * A plausible instance in {@code projectId} running as {@code serviceAccountEmail} in {@code
   * zone}.
   */
  public static GceInstance of(String serviceAccountEmail, String projectId, String zone) {
    return new GceInstance(
        serviceAccountEmail,
        projectId,
        NumericIds.digits("project-number:" + projectId, 12),
        zone,
        NumericIds.digitString("instance-id:" + projectId + "/" + zone, 19),
        "openwif-emulated-vm",
        Instant.parse("2024-01-01T00:00:00Z"),
        List.of());
  }

  /** The zone as {@code /instance/zone} reports it: {@code projects/NUMBER/zones/ZONE}. */
  public String zonePath() {
    return "projects/" + projectNumber + "/zones/" + zone;
  }

  /** A copy reporting {@code licenseIds} with {@code licenses=TRUE}. */
  public GceInstance withLicenseIds(List<String> licenseIds) {
    return new GceInstance(
        serviceAccountEmail,
        projectId,
        projectNumber,
        zone,
        instanceId,
        instanceName,
        creationTimestamp,
        licenseIds);
  }
}
