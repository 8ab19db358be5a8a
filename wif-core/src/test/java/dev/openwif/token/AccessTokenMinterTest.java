package dev.openwif.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import dev.openwif.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessTokenMinterTest {
  private final MutableClock clock = MutableClock.at(Instant.parse("2026-01-01T00:00:00.750Z"));
  private final SigningKeys keys = new SigningKeys(new InMemorySigningKeyRepository(), clock);
  private final AccessTokenMinter minter = new AccessTokenMinter(keys, clock);

  private AccessTokenClaims claims(Duration ttl, Optional<String> clientId) {
    Instant now = clock.instant();
    return new AccessTokenClaims(
        "https://wif.example",
        "sa_1",
        "https://wif.example/v1",
        now,
        now.plus(ttl),
        "jti-1",
        Set.of("b.scope", "a.scope"),
        "wip_1",
        "rule_1",
        "proj_1",
        "ext-sub",
        clientId);
  }

  @Test
  void mintWhenClaimsGivenThenEs256AtJwtWithEveryClaim() throws Exception {
    MintedAccessToken minted = minter.mint(claims(Duration.ofHours(1), Optional.of("client-1")));
    SignedJWT jwt = SignedJWT.parse(minted.token());

    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
    assertThat(jwt.getHeader().getType().getType()).isEqualTo("at+jwt");
    assertThat(jwt.getHeader().getKeyID()).isEqualTo(keys.current().getKeyID());
    assertThat(jwt.verify(new ECDSAVerifier(keys.current().toPublicJWK()))).isTrue();
    assertThat(jwt.getJWTClaimsSet().getClaims())
        .containsEntry("iss", "https://wif.example")
        .containsEntry("sub", "sa_1")
        .containsEntry("jti", "jti-1")
        .containsEntry("scope", "a.scope b.scope")
        .containsEntry("wif_provider", "wip_1")
        .containsEntry("wif_rule", "rule_1")
        .containsEntry("wif_project", "proj_1")
        .containsEntry("wif_ext_sub", "ext-sub")
        .containsEntry("client_id", "client-1");
    assertThat(jwt.getJWTClaimsSet().getIssueTime())
        .isEqualTo(Date.from(Instant.parse("2026-01-01T00:00:00Z")));
    assertThat(minted.expiresAt()).isEqualTo(Instant.parse("2026-01-01T01:00:00Z"));
    assertThat(minted.jti()).isEqualTo("jti-1");
    assertThat(minted.toString()).doesNotContain(minted.token());
  }

  @Test
  void mintWhenNoClientIdThenClaimAbsent() throws Exception {
    SignedJWT jwt =
        SignedJWT.parse(minter.mint(claims(Duration.ofMinutes(5), Optional.empty())).token());
    assertThat(jwt.getJWTClaimsSet().getClaims()).doesNotContainKey("client_id");
  }

  @Test
  void mintWhenKeyRotatedThenSignsWithNewKey() throws Exception {
    String rotated = keys.rotate().getKeyID();
    assertThat(
            SignedJWT.parse(minter.mint(claims(Duration.ofMinutes(5), Optional.empty())).token())
                .getHeader()
                .getKeyID())
        .isEqualTo(rotated);
  }

  @Test
  void mintWhenExternalSubjectHasJsonSpecialCharactersThenClaimReadsBackExactly() throws Exception {
    Instant now = clock.instant();
    String hostile = "a\"b\\c\n}\u0000\",\"sub\":\"admin\u00e9\ud83d\ude00";
    AccessTokenClaims claims =
        new AccessTokenClaims(
            "https://wif.example",
            "sa_1",
            "https://wif.example/v1",
            now,
            now.plusSeconds(60),
            "jti-2",
            Set.of("a.scope"),
            "wip_1",
            "rule_1",
            "proj_1",
            hostile,
            Optional.empty());
    SignedJWT jwt = SignedJWT.parse(minter.mint(claims).token());

    assertThat(jwt.getJWTClaimsSet().getClaims())
        .containsEntry("wif_ext_sub", hostile)
        .containsEntry("sub", "sa_1");
    assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("https://wif.example/v1");
    assertThat(jwt.verify(new ECDSAVerifier(keys.current().toPublicJWK()))).isTrue();
  }

  @Test
  void mintWhenAlreadyExpiredThenRefused() {
    AccessTokenClaims past = claims(Duration.ofSeconds(10), Optional.empty());
    clock.advance(Duration.ofSeconds(10));
    assertThatThrownBy(() -> minter.mint(past))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expired");
  }

  @Test
  void claimsWhenScopeHasBlankThenRefused() {
    Instant now = clock.instant();
    assertThatThrownBy(
            () ->
                new AccessTokenClaims(
                    "i",
                    "s",
                    "a",
                    now,
                    now.plusSeconds(1),
                    "j",
                    Set.of("a b"),
                    "p",
                    "r",
                    "pr",
                    "e",
                    Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("scope");
  }
}
