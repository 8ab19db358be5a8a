package dev.openwif.policy;

import dev.openwif.federation.FederationRule;
import java.util.Objects;

/** The outcome of {@link RuleMatcher#match}: exactly one rule matched, or none did and why. */
public sealed interface MatchDecision {

  /** Every matcher of {@code rule} held; the access token is minted under it. */
  record Matched(FederationRule rule) implements MatchDecision {
    public Matched {
      Objects.requireNonNull(rule, "rule");
    }
  }

  /**
   * No enabled rule of the provider for the requested service account held. {@code detail} names,
   * for each candidate rule, the first matcher that failed, e.g. {@code rule wifr_x: sub was 'a',
   * expected 'b'}. It goes to the audit log only, never to the client.
   */
  record NoMatch(String detail) implements MatchDecision {
    public NoMatch {
      Objects.requireNonNull(detail, "detail");
    }
  }
}
