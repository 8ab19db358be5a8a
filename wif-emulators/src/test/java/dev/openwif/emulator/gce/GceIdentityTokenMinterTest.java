package dev.openwif.emulator.gce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.openwif.emulator.EmulatorSigningKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GceIdentityTokenMinterTest {
  private static final Instant NOW = Instant.parse("2026-05-20T19:23:42.750Z");
  private static final EmulatorSigningKey KEY =
      EmulatorSigningKey.generate(EmulatorSigningKey.KidStyle.HEX_SHA1);
  private final GceInstance instance =
      GceInstance.of("openai-wif@my-project.iam.gserviceaccount.com", "my-project", "us-central1-a")
          .withLicenseIds(List.of("42"));
  private final GceIdentityTokenMinter minter =
      new GceIdentityTokenMinter(KEY, instance, Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void mintWhenStandardThenExactlyTheStandardClaimsWithWholeSecondTimes() throws Exception {
    JWTClaimsSet claims =
        SignedJWT.parse(
                minter.mint(
                    "https://accounts.google.com", "aud-1", IdentityTokenFormat.STANDARD, true))
            .getJWTClaimsSet();

    assertThat(claims.getClaims().keySet())
        .containsExactlyInAnyOrder("aud", "azp", "exp", "iat", "iss", "sub");
    assertThat(claims.getIssueTime()).isEqualTo(Date.from(Instant.parse("2026-05-20T19:23:42Z")));
    assertThat(claims.getExpirationTime())
        .isEqualTo(Date.from(Instant.parse("2026-05-20T20:23:42Z")));
    assertThat(claims.getSubject())
        .isEqualTo(GceIdentityTokenMinter.uniqueIdOf(instance.serviceAccountEmail()));
  }

  @Test
  void mintWhenFullWithLicensesThenComputeEngineClaimsAndLicenseIds() throws Exception {
    JWTClaimsSet claims =
        SignedJWT.parse(
                minter.mint("https://accounts.google.com", "aud-1", IdentityTokenFormat.FULL, true))
            .getJWTClaimsSet();

    Map<String, Object> google = claims.getJSONObjectClaim("google");
    assertThat(google).containsOnlyKeys("compute_engine");
    @SuppressWarnings("unchecked")
    Map<String, Object> computeEngine = (Map<String, Object>) google.get("compute_engine");
    assertThat(computeEngine)
        .containsEntry("instance_creation_timestamp", 1_704_067_200L)
        .containsEntry("license_id", List.of("42"))
        .containsEntry("project_id", "my-project")
        .containsEntry("zone", "us-central1-a");
    assertThat(claims.getStringClaim("email"))
        .isEqualTo("openai-wif@my-project.iam.gserviceaccount.com");
  }

  @Test
  void uniqueIdOfWhenSameEmailThenSame21DigitsStartingWithOne() {
    String id = GceIdentityTokenMinter.uniqueIdOf("a@b.iam.gserviceaccount.com");

    assertThat(id)
        .matches("1[0-9]{20}")
        .isEqualTo(GceIdentityTokenMinter.uniqueIdOf("a@b.iam.gserviceaccount.com"));
    assertThat(GceIdentityTokenMinter.uniqueIdOf("c@b.iam.gserviceaccount.com")).isNotEqualTo(id);
  }

  @Test
  void mintWhenAudienceEmptyThenRefused() {
    assertThatThrownBy(
            () -> minter.mint("https://accounts.google.com", "", IdentityTokenFormat.FULL, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("audience");
  }
}
