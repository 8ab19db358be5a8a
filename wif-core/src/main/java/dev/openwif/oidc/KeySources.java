package dev.openwif.oidc;

import dev.openwif.federation.Verification;
import dev.openwif.federation.WorkloadIdentityProvider;
import java.time.Clock;
import java.util.Objects;

/**
 * Builds the {@link KeySource} a provider's {@link Verification} asks for. Stateless; thread-safe.
 */
public final class KeySources {
  private KeySources() {}

  /**
   * An {@link UploadedJwksKeySource} for an uploaded JWKS, or a {@link DiscoveryKeySource} (which
   * the caller should {@link DiscoveryKeySource#close() close} when the provider changes or goes
   * away).
   *
   * @throws IllegalArgumentException when an uploaded JWKS is invalid
   */
  public static KeySource forProvider(
      WorkloadIdentityProvider provider,
      JwksFetcher fetcher,
      Clock clock,
      DiscoverySettings settings) {
    Objects.requireNonNull(provider, "provider");
    return switch (provider.verification()) {
      case Verification.UploadedJwks uploaded -> new UploadedJwksKeySource(uploaded.jwksJson());
      case Verification.Discovery discovery ->
          new DiscoveryKeySource(
              provider.issuer(), discovery.discoveryUrl(), fetcher, clock, settings);
    };
  }
}
