package dev.openwif.emulator.gke;

import dev.openwif.emulator.EmulatorSigningKey;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Mints projected service account tokens as the Kubernetes API server's TokenRequest does: RS256
 * with a {@code kid}, {@code iss}, {@code aud} always an array, {@code sub} {@code
 * system:serviceaccount:NS:NAME}, {@code iat}, {@code nbf} and {@code exp}, a random {@code jti},
 * and the {@code kubernetes.io} claims naming the namespace, service account and pod with their
 * uids.
 *
 * <p>Uids are stable for a name (name-based UUIDs), as they are for an object that lives on.
 * Thread-safe.
 */
public final class ProjectedTokenMinter {
  private final EmulatorSigningKey key;
  private final Clock clock;

  public ProjectedTokenMinter(EmulatorSigningKey key, Clock clock) {
    this.key = Objects.requireNonNull(key, "key");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The uid the emulated cluster gives an object of {@code kind} called {@code namespace/name}. */
  public static String uidOf(String kind, String namespace, String name) {
    return UUID.nameUUIDFromBytes(
            (kind + "/" + namespace + "/" + name).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  /**
   * A signed token for {@code spec}, issued by {@code issuer}, valid from now for the spec's
   * expiration.
   */
  public ProjectedToken mint(String issuer, ProjectedTokenSpec spec) {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(spec, "spec");
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant expiresAt = now.plus(spec.expiration());
    Map<String, Object> pod = new LinkedHashMap<>();
    pod.put("name", spec.podName());
    pod.put("uid", uidOf("Pod", spec.namespace(), spec.podName()));
    Map<String, Object> serviceAccount = new LinkedHashMap<>();
    serviceAccount.put("name", spec.serviceAccountName());
    serviceAccount.put("uid", uidOf("ServiceAccount", spec.namespace(), spec.serviceAccountName()));
    Map<String, Object> kubernetes = new LinkedHashMap<>();
    kubernetes.put("namespace", spec.namespace());
    kubernetes.put("pod", pod);
    kubernetes.put("serviceaccount", serviceAccount);
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("aud", spec.audiences());
    claims.put("exp", expiresAt.getEpochSecond());
    claims.put("iat", now.getEpochSecond());
    claims.put("iss", issuer);
    claims.put("jti", UUID.randomUUID().toString());
    claims.put("kubernetes.io", kubernetes);
    claims.put("nbf", now.getEpochSecond());
    claims.put("sub", spec.subject());
    return new ProjectedToken(key.sign(claims, false), now, expiresAt);
  }
}
