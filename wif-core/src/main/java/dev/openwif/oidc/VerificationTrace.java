package dev.openwif.oidc;

import java.util.Map;

/**
 * Watches {@link SubjectTokenVerifier#verify(String, VerificationPolicy, KeySource,
 * VerificationTrace)} as it runs: the decoded header and payload once the structure is sound, then
 * each {@link VerificationStep} that passed. A failed step is not reported here: it is the {@link
 * TokenRejectedException} (or {@link IssuerUnavailableException}) the verifier throws. The exchange
 * passes {@link #NONE}, whose methods do nothing, so it builds no trace; {@code explain} passes one
 * that records. Implementations are used by one thread per verification.
 */
public interface VerificationTrace {
  /** Records nothing (the exchange's path). */
  VerificationTrace NONE = new VerificationTrace() {};

  /**
   * The token's header and payload as parsed, before anything in them is trusted: JSON values, a
   * JSON {@code null} as an internal marker ({@link SubjectTokenVerifier#withoutJsonNulls} gives
   * plain values). Called once, after {@link VerificationStep#STRUCTURE} passed; the maps must not
   * be changed.
   */
  default void decoded(Map<String, Object> header, Map<String, Object> payload) {}

  /** {@code step} passed. */
  default void passed(VerificationStep step) {}
}
