package dev.openwif.oidc;

import com.nimbusds.jose.jwk.JWK;
import dev.openwif.audit.ReasonCode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies a subject token (an OIDC ID token or any JWT from a configured issuer) as SECURITY.md
 * "Rules of validation" states, failing closed: structure (RFC 7515 §7.1) → header (RFC 8725 §3) →
 * key by {@code kid} → signature → {@code iss}/{@code aud} (RFC 7519 §4.1.1, §4.1.3) → times
 * (§4.1.4-6).
 *
 * <p>Nimbus does the signature mathematics only; every structural and claim rule is checked here,
 * because Nimbus's defaults are more lenient (see docs/decisions.md). Thread-safe and stateless
 * apart from the injected clock.
 */
public final class SubjectTokenVerifier {
  private final Clock clock;

  public SubjectTokenVerifier(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Verifies a subject token against the provider's policy and keys.
   *
   * @throws TokenRejectedException with the precise reason when any rule fails
   * @throws IssuerUnavailableException when the key source cannot supply keys at all
   */
  public VerifiedSubjectToken verify(
      String subjectToken, VerificationPolicy policy, KeySource keys) {
    return verify(subjectToken, policy, keys, VerificationTrace.NONE);
  }

  /**
   * {@link #verify(String, VerificationPolicy, KeySource)}, reporting to {@code trace} each {@link
   * VerificationStep} as it passes: the same checks in the same order, for {@code explain}.
   *
   * @throws TokenRejectedException with the precise reason when any rule fails
   * @throws IssuerUnavailableException when the key source cannot supply keys at all
   */
  public VerifiedSubjectToken verify(
      String subjectToken, VerificationPolicy policy, KeySource keys, VerificationTrace trace) {
    Objects.requireNonNull(subjectToken, "subjectToken");
    CompactJws jws = CompactJws.parse(subjectToken, policy.maxTokenBytes());
    trace.decoded(jws.header(), jws.payload());
    trace.passed(VerificationStep.STRUCTURE);
    HeaderRules.Checked header = HeaderRules.check(jws.header());
    String kid = header.kid();
    String alg = header.alg();
    trace.passed(VerificationStep.HEADER);
    JWK key =
        keys.keyFor(kid)
            .orElseThrow(
                () ->
                    new TokenRejectedException(
                        ReasonCode.KID_UNKNOWN,
                        "kid " + HeaderRules.printable(kid) + " is not in the issuer's JWKS"));
    SignatureCheck.keyFitsAlg(key, alg, kid);
    trace.passed(VerificationStep.KEY);
    SignatureCheck.verify(key, alg, jws.signingInput(), jws.signature(), kid);
    trace.passed(VerificationStep.SIGNATURE);
    Map<String, Object> claims = jws.payload();
    ClaimRules.checkIssuer(claims, policy.issuer());
    trace.passed(VerificationStep.ISSUER);
    ClaimRules.checkAudience(claims, policy.audience());
    trace.passed(VerificationStep.AUDIENCE);
    ClaimRules.checkRegisteredTypes(claims);
    trace.passed(VerificationStep.CLAIM_TYPES);
    ClaimRules.Times times =
        ClaimRules.checkTimes(claims, clock.instant(), policy.leeway(), policy.maxLifetime());
    trace.passed(VerificationStep.TIMES);
    Optional<String> jti =
        claims.get("jti") instanceof String s && !s.isEmpty() ? Optional.of(s) : Optional.empty();
    return new VerifiedSubjectToken(
        withoutNulls(claims), alg, kid, times.issuedAt(), times.expiresAt(), jti);
  }

  /**
   * Lets {@code keys} fetch what verifying {@code subjectToken} will need (keys never obtained, or
   * the token's {@code kid} unknown), waiting at most the key source's short bound. Call it before
   * taking a scarce slot: {@link #verify} itself never waits for the network. Never throws for the
   * token's content (a malformed token is judged by {@link #verify}).
   */
  public void prepareKeys(String subjectToken, VerificationPolicy policy, KeySource keys) {
    keys.prepare(CompactJws.kidHint(subjectToken, policy.maxTokenBytes()));
  }

  /**
   * A copy of a decoded JSON object without its JSON nulls (also nested), holding only plain Java
   * values, as {@link VerifiedSubjectToken#claims()} does; for showing what {@link
   * VerificationTrace#decoded} saw.
   */
  public static Map<String, Object> withoutJsonNulls(Map<String, Object> object) {
    return withoutNulls(object);
  }

  /** Drops JSON nulls so that the public claims hold only plain Java values. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> withoutNulls(Map<String, Object> object) {
    Map<String, Object> copy = new LinkedHashMap<>();
    object.forEach(
        (name, value) -> {
          if (!StrictJson.isNull(value)) {
            copy.put(name, cleaned(value));
          }
        });
    return Collections.unmodifiableMap(copy);
  }

  @SuppressWarnings("unchecked")
  private static Object cleaned(Object value) {
    if (value instanceof Map<?, ?> map) {
      return withoutNulls((Map<String, Object>) map);
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      for (Object item : list) {
        if (!StrictJson.isNull(item)) {
          copy.add(cleaned(item));
        }
      }
      return Collections.unmodifiableList(copy);
    }
    return value;
  }
}
