package dev.openwif.directory;

import dev.openwif.attribute.CompiledTransformations;
import dev.openwif.federation.WorkloadIdentityProvider;
import dev.openwif.oidc.KeySource;
import dev.openwif.oidc.VerificationPolicy;
import java.util.Objects;

/** A provider as the exchange path sees it in a {@link FederationSnapshot}. */
public sealed interface ProviderState {
  WorkloadIdentityProvider provider();

  /** Enabled and ready: its verification policy, key source and compiled transformations. */
  record Active(
      WorkloadIdentityProvider provider,
      VerificationPolicy policy,
      KeySource keys,
      CompiledTransformations transformations)
      implements ProviderState {
    public Active {
      Objects.requireNonNull(provider, "provider");
      Objects.requireNonNull(policy, "policy");
      Objects.requireNonNull(keys, "keys");
      Objects.requireNonNull(transformations, "transformations");
    }
  }

  /**
   * Disabled by an admin: exchanges are refused with {@code invalid_target}, tokens it vouched for
   * are revoked.
   */
  record Disabled(WorkloadIdentityProvider provider) implements ProviderState {
    public Disabled {
      Objects.requireNonNull(provider, "provider");
    }
  }

  /**
   * Enabled, but its stored configuration could not be made ready (a transformation that no longer
   * compiles, a key source that cannot be built). Fails closed: every exchange is refused.
   */
  record Misconfigured(WorkloadIdentityProvider provider, String problem) implements ProviderState {
    public Misconfigured {
      Objects.requireNonNull(provider, "provider");
      Objects.requireNonNull(problem, "problem");
    }
  }
}
