package dev.openwif.emulator.gce;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.auth.oauth2.ComputeEngineCredentials;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.IdToken;
import com.google.auth.oauth2.IdTokenProvider;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.openwif.emulator.JwtVerification;
import java.io.IOException;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Google's own {@code google-auth-library-oauth2-http}, finding the emulator the way it finds a
 * real metadata server: through the {@code GCE_METADATA_HOST} environment variable (set by this
 * test's Failsafe execution, see the module POM), its ping of the server root, then the identity
 * endpoint with {@code format=full}.
 */
class GoogleAuthLibraryIT {
  private static final String AUDIENCE = "https://api.openai.com/v1";
  private static final String EMAIL = "openai-wif@my-project.iam.gserviceaccount.com";
  private static GceMetadataEmulator metadata;

  @BeforeAll
  static void startOnTheAdvertisedPort() {
    String host = System.getenv("GCE_METADATA_HOST");
    assertThat(host)
        .as("GCE_METADATA_HOST set by the failsafe execution")
        .isNotNull()
        .startsWith("127.0.0.1:");
    int port = Integer.parseInt(host.substring(host.indexOf(':') + 1));
    metadata =
        GceMetadataEmulator.builder()
            .port(port)
            .serviceAccountEmail(EMAIL)
            .projectId("my-project")
            .zone("us-central1-a")
            .start();
  }

  @AfterAll
  static void stop() {
    metadata.close();
  }

  @Test
  void applicationDefaultCredentialsWhenMetadataHostSetThenComputeEngineCredentialsOnTheEmulator()
      throws IOException {
    GoogleCredentials credentials = GoogleCredentials.getApplicationDefault();

    assertThat(credentials).isInstanceOf(ComputeEngineCredentials.class);
    ComputeEngineCredentials compute = (ComputeEngineCredentials) credentials;
    assertThat(compute.getAccount()).isEqualTo(EMAIL);
    assertThat(compute.getProjectId()).isEqualTo("my-project");
  }

  @Test
  void idTokenWithAudienceWhenFormatFullThenGoogleShapedClaims()
      throws IOException, ParseException {
    IdTokenProvider provider = (IdTokenProvider) GoogleCredentials.getApplicationDefault();

    IdToken idToken =
        provider.idTokenWithAudience(AUDIENCE, List.of(IdTokenProvider.Option.FORMAT_FULL));

    JWTClaimsSet claims =
        JwtVerification.verifiedThroughDiscovery(metadata.baseUrl(), idToken.getTokenValue())
            .getJWTClaimsSet();
    assertThat(idToken.getExpirationTime())
        .as("Google's library parsed exp")
        .isEqualTo(claims.getExpirationTime());
    assertThat(claims.getAudience()).containsExactly(AUDIENCE);
    assertThat(claims.getIssuer()).isEqualTo(metadata.baseUrl());
    assertThat(claims.getSubject()).matches("1[0-9]{20}");
    assertThat(claims.getStringClaim("azp")).isEqualTo(claims.getSubject());
    assertThat(claims.getStringClaim("email")).isEqualTo(EMAIL);
    assertThat(claims.getBooleanClaim("email_verified")).isTrue();
    assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime())
        .isEqualTo(3_600_000L);
    Map<String, Object> computeEngine =
        JSONObjectUtils.getJSONObject(claims.getJSONObjectClaim("google"), "compute_engine");
    assertThat(computeEngine)
        .containsEntry("project_id", "my-project")
        .containsEntry("project_number", metadata.instance().projectNumber())
        .containsEntry("zone", "us-central1-a")
        .containsEntry("instance_name", "openwif-emulated-vm")
        .containsEntry("instance_id", metadata.instance().instanceId());
  }
}
