package dev.openwif.emulator.gke;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a pod's projected service account token volume source asks for: who the pod runs as, for
 * which audiences, and for how long.
 *
 * <p>Kubernetes refuses {@code expirationSeconds} under 600; this emulator accepts any lifetime of
 * at least one second so that tests can watch a rotation happen in a few seconds.
 *
 * @param namespace the pod's namespace (an RFC 1123 label)
 * @param serviceAccountName the service account (an RFC 1123 subdomain)
 * @param podName the pod's name
 * @param audiences the token's {@code aud}, at least one
 * @param expiration the token lifetime, at least one second
 */
public record ProjectedTokenSpec(
    String namespace,
    String serviceAccountName,
    String podName,
    List<String> audiences,
    Duration expiration) {
  /** The shortest lifetime accepted here; Kubernetes itself requires 10 minutes. */
  public static final Duration MINIMUM_EXPIRATION = Duration.ofSeconds(1);

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

  public ProjectedTokenSpec {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(serviceAccountName, "serviceAccountName");
    Objects.requireNonNull(podName, "podName");
    Objects.requireNonNull(expiration, "expiration");
    audiences = List.copyOf(audiences);
    if (!LABEL.matcher(namespace).matches()) {
      throw new IllegalArgumentException(
          "namespace must be a lower-case RFC 1123 label: '" + namespace + "'");
    }
    if (!SUBDOMAIN.matcher(serviceAccountName).matches()) {
      throw new IllegalArgumentException(
          "service account name must be a lower-case RFC 1123 subdomain: '"
              + serviceAccountName
              + "'");
    }
    if (!SUBDOMAIN.matcher(podName).matches()) {
      throw new IllegalArgumentException(
          "pod name must be a lower-case RFC 1123 subdomain: '" + podName + "'");
    }
    if (audiences.isEmpty() || audiences.stream().anyMatch(String::isBlank)) {
      throw new IllegalArgumentException(
          "at least one non-blank audience is required, got " + audiences);
    }
    if (expiration.compareTo(MINIMUM_EXPIRATION) < 0) {
      throw new IllegalArgumentException("expiration must be at least 1 second, got " + expiration);
    }
  }

  /** {@code system:serviceaccount:<namespace>:<name>}, the token's {@code sub}. */
  public String subject() {
    return "system:serviceaccount:" + namespace + ":" + serviceAccountName;
  }
}
