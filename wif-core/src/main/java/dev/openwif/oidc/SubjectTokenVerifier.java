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
    Objects.requireNonNull(subjectToken, "subjectToken");
    CompactJws jws = CompactJws.parse(subjectToken, policy.maxTokenBytes());
    HeaderRules.Checked header = HeaderRules.check(jws.header());
    String kid = header.kid();
    String alg = header.alg();
    JWK key =
        keys.keyFor(kid)
            .orElseThrow(
                () ->
                    new TokenRejectedException(
                        ReasonCode.KID_UNKNOWN,
                        "kid " + HeaderRules.printable(kid) + " is not in the issuer's JWKS"));
    SignatureCheck.keyFitsAlg(key, alg, kid);
    SignatureCheck.verify(key, alg, jws.signingInput(), jws.signature(), kid);
    Map<String, Object> claims = jws.payload();
    ClaimRules.checkIssuer(claims, policy.issuer());
    ClaimRules.checkAudience(claims, policy.audience());
    ClaimRules.checkRegisteredTypes(claims);
    ClaimRules.Times times =
        ClaimRules.checkTimes(claims, clock.instant(), policy.leeway(), policy.maxLifetime());
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
