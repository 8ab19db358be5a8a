package dev.openwif.emulator.gce;

import dev.openwif.emulator.EmulatorSigningKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Mints the ID tokens the metadata server's identity endpoint returns: RS256, {@code iss}, {@code
 * aud}, {@code azp} and {@code sub} set to the service account's 21-digit unique id, {@code iat},
 * and {@code exp} one hour later; {@code format=full} adds {@code email}, {@code email_verified}
 * and the {@code google.compute_engine} claims, and {@code licenses=TRUE} adds their {@code
 * license_id}.
 *
 * <p>Thread-safe.
 */
public final class GceIdentityTokenMinter {
  /** Google's ID tokens are valid for one hour. */
  public static final Duration LIFETIME = Duration.ofHours(1);

  private final EmulatorSigningKey key;
  private final GceInstance instance;
  private final Clock clock;

  public GceIdentityTokenMinter(EmulatorSigningKey key, GceInstance instance, Clock clock) {
    this.key = Objects.requireNonNull(key, "key");
    this.instance = Objects.requireNonNull(instance, "instance");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The stable 21-digit unique id Google gives the service account {@code email}. */
  public static String uniqueIdOf(String email) {
    return NumericIds.digitString("service-account:" + email, 21);
  }

  /** A signed ID token for {@code audience}, issued by {@code issuer}. */
  public String mint(String issuer, String audience, IdentityTokenFormat format, boolean licenses) {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(audience, "audience");
    Objects.requireNonNull(format, "format");
    if (audience.isEmpty()) {
      throw new IllegalArgumentException("audience must not be empty");
    }
    Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    String uniqueId = uniqueIdOf(instance.serviceAccountEmail());
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("aud", audience);
    claims.put("azp", uniqueId);
    if (format == IdentityTokenFormat.FULL) {
      claims.put("email", instance.serviceAccountEmail());
      claims.put("email_verified", true);
    }
    claims.put("exp", now.plus(LIFETIME).getEpochSecond());
    if (format == IdentityTokenFormat.FULL) {
      claims.put("google", Map.of("compute_engine", computeEngineClaims(licenses)));
    }
    claims.put("iat", now.getEpochSecond());
    claims.put("iss", issuer);
    claims.put("sub", uniqueId);
    return key.sign(claims, true);
  }

  private Map<String, Object> computeEngineClaims(boolean licenses) {
    Map<String, Object> computeEngine = new LinkedHashMap<>();
    computeEngine.put("instance_creation_timestamp", instance.creationTimestamp().getEpochSecond());
    computeEngine.put("instance_id", instance.instanceId());
    computeEngine.put("instance_name", instance.instanceName());
    computeEngine.put("project_id", instance.projectId());
    computeEngine.put("project_number", instance.projectNumber());
    computeEngine.put("zone", instance.zone());
    if (licenses && !instance.licenseIds().isEmpty()) {
      computeEngine.put("license_id", instance.licenseIds());
    }
    return computeEngine;
  }
}
