package dev.openwif.server.health;

import dev.openwif.directory.InMemoryFederationDirectory;
import dev.openwif.directory.ProviderState;
import dev.openwif.federation.FederationStore;
import dev.openwif.oidc.DiscoveryKeySource;
import dev.openwif.token.SigningKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Whether this node should receive traffic: its database answers ({@link DatabaseProbe}: cached for
 * a second, bounded wait), its federation snapshot is younger than {@code --max-snapshot-age}, its
 * signing key is loaded and the keys were re-read recently enough to know every key that signs.
 * Each enabled discovery provider's keys having been fetched is reported too but does not make the
 * node unready: every node sees the same issuers, so one issuer's outage would take every node out
 * of its load balancer and stop the exchanges of all the other providers as well. Thread-safe.
 */
public final class Readiness {
  private final DatabaseProbe database;
  private final InMemoryFederationDirectory directory;
  private final SigningKeys signingKeys;
  private final Duration signingKeysMaxAge;
  private final List<Supplier<Check>> reported;

  /**
   * @param signingKeysMaxAge how long ago the signing keys may have been read at most: on a
   *     database several nodes share, the time a rotation publishes a new key before it signs, so a
   *     ready node always knows every key that signs
   * @param reported checks listed after the built-in ones, such as whether the gateway's upstream
   *     credential is fresh; each must be cheap, never wait, and is reported as it says (a check
   *     that is not required does not make the node unready)
   */
  public Readiness(
      FederationStore store,
      InMemoryFederationDirectory directory,
      SigningKeys signingKeys,
      Duration signingKeysMaxAge,
      List<Supplier<Check>> reported) {
    Objects.requireNonNull(store, "store");
    this.database = new DatabaseProbe(store::ping, System::nanoTime);
    this.directory = Objects.requireNonNull(directory, "directory");
    this.signingKeys = Objects.requireNonNull(signingKeys, "signingKeys");
    this.signingKeysMaxAge = Objects.requireNonNull(signingKeysMaxAge, "signingKeysMaxAge");
    this.reported = List.copyOf(reported);
  }

  /** Every check, required ones first. */
  public List<Check> checks() {
    List<Check> checks = new ArrayList<>();
    checks.add(database.check());
    checks.add(snapshot());
    checks.add(signingKey());
    checks.add(issuerKeys());
    reported.forEach(check -> checks.add(check.get()));
    return checks;
  }

  /** Ready when every required check passed. */
  public static boolean ready(List<Check> checks) {
    return checks.stream().allMatch(c -> c.ok() || !c.required());
  }

  private Check snapshot() {
    Duration age = directory.snapshotAge();
    Duration max = directory.maxAge();
    boolean ok = age.compareTo(max) <= 0;
    String detail = "read " + age.toSeconds() + " s ago";
    return new Check(
        "federation_snapshot",
        ok,
        true,
        ok ? detail : detail + ", older than the allowed " + max.toSeconds() + " s");
  }

  private Check signingKey() {
    try {
      String kid = signingKeys.current().getKeyID();
      if (kid == null) {
        return new Check("signing_key", false, true, "no key id");
      }
      Duration age = signingKeys.sinceLastRead();
      String detail =
          "kid "
              + kid
              + signingKeys
                  .pending()
                  .map(p -> "; next kid " + p.kid() + " signs from " + p.activatesAt())
                  .orElse("")
              + "; keys read "
              + age.toSeconds()
              + " s ago";
      boolean fresh = age.compareTo(signingKeysMaxAge) <= 0;
      return new Check(
          "signing_key",
          fresh,
          true,
          fresh
              ? detail
              : detail
                  + ", older than the allowed "
                  + signingKeysMaxAge.toSeconds()
                  + " s (a newly rotated key may already sign on other nodes)");
    } catch (RuntimeException e) {
      return new Check("signing_key", false, true, "not loaded: " + e.getClass().getSimpleName());
    }
  }

  private Check issuerKeys() {
    TreeMap<String, String> missing = new TreeMap<>();
    int discovery = 0;
    for (ProviderState state : directory.snapshot().providers().values()) {
      if (state instanceof ProviderState.Active active
          && active.keys() instanceof DiscoveryKeySource source) {
        discovery++;
        if (source.lastSuccessfulFetch().isEmpty()) {
          missing.put(active.provider().id(), source.lastError());
        }
      }
    }
    if (missing.isEmpty()) {
      return new Check(
          "issuer_keys", true, false, "keys fetched for all " + discovery + " discovery providers");
    }
    return new Check(
        "issuer_keys",
        false,
        false,
        "no keys fetched yet for provider(s) " + String.join(", ", missing.keySet()));
  }
}
