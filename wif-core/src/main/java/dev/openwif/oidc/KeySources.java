package dev.openwif.oidc;

import dev.openwif.federation.Verification;
import dev.openwif.federation.WorkloadIdentityProvider;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Builds the {@link KeySource} a provider's {@link Verification} asks for. Stateless; thread-safe.
 */
public final class KeySources {
  private KeySources() {}

  /**
   * {@link #forProvider(WorkloadIdentityProvider, JwksFetcher, Clock, DiscoverySettings, Executor)}
   * with each fetch on a new virtual thread (still one fetch per issuer at a time).
   */
  public static KeySource forProvider(
      WorkloadIdentityProvider provider,
      JwksFetcher fetcher,
      Clock clock,
      DiscoverySettings settings) {
    return forProvider(
        provider,
        fetcher,
        clock,
        settings,
        task -> Thread.ofVirtual().name("jwks-fetch").start(task));
  }

  /**
   * An {@link UploadedJwksKeySource} for an uploaded JWKS, or a {@link DiscoveryKeySource} that has
   * already started fetching the issuer's keys on {@code fetches} (without waiting for them), so
   * that a provider just created, changed or loaded at start has its keys before its first
   * exchange. The caller should {@link DiscoveryKeySource#close() close} it when the provider
   * changes or goes away.
   *
   * @param fetches runs every fetch of the key source (the server's {@link IssuerFetchPool})
   * @throws IllegalArgumentException when an uploaded JWKS is invalid
   */
  public static KeySource forProvider(
      WorkloadIdentityProvider provider,
      JwksFetcher fetcher,
      Clock clock,
      DiscoverySettings settings,
      Executor fetches) {
    return forProvider(provider, fetcher, clock, settings, fetches, IssuerFetchListener.NONE);
  }

  /**
   * {@link #forProvider(WorkloadIdentityProvider, JwksFetcher, Clock, DiscoverySettings, Executor)}
   * whose discovery fetches are reported to {@code listener} under the provider's id.
   */
  public static KeySource forProvider(
      WorkloadIdentityProvider provider,
      JwksFetcher fetcher,
      Clock clock,
      DiscoverySettings settings,
      Executor fetches,
      IssuerFetchListener listener) {
    Objects.requireNonNull(provider, "provider");
    return switch (provider.verification()) {
      case Verification.UploadedJwks uploaded -> new UploadedJwksKeySource(uploaded.jwksJson());
      case Verification.Discovery discovery -> {
        DiscoveryKeySource source =
            new DiscoveryKeySource(
                provider.issuer(),
                discovery.discoveryUrl(),
                fetcher,
                clock,
                settings,
                fetches,
                provider.id(),
                listener);
        source.prefetch();
        yield source;
      }
    };
  }
}
