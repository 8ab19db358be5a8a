package dev.openwif.client.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.openwif.client.AccessToken;
import dev.openwif.client.WorkloadIdentityCredentials;
import dev.openwif.client.WorkloadIdentityEnvironment;
import dev.openwif.client.http.AuthenticatedHttpClient;
import dev.openwif.client.provider.GoogleMetadataTokenProvider;
import dev.openwif.emulator.gce.GceMetadataEmulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end over real HTTP: the Google metadata emulator issues the subject token, an in-process
 * OpenWIF server exchanges it, and the {@code java.net.http} helper calls {@code /v1/responses}
 * with the result.
 */
class GoogleMetadataProviderIT {
  private static final String AUDIENCE = "https://api.openai.com/v1";
  @TempDir Path dir;
  private GceMetadataEmulator metadata;
  private OpenWifFixture openwif;
  private OpenWifFixture.Federation federation;

  @BeforeEach
  void start() throws Exception {
    metadata = GceMetadataEmulator.builder().start();
    openwif = OpenWifFixture.start(dir);
    federation =
        openwif.federate(
            metadata.issuer(),
            AUDIENCE,
            Map.of("email", "openai-wif@my-project.iam.gserviceaccount.com"));
  }

  @AfterEach
  void stop() {
    openwif.close();
    metadata.close();
  }

  private WorkloadIdentityCredentials credentials() {
    return WorkloadIdentityCredentials.builder()
        .identityProviderId(federation.providerId())
        .serviceAccountId(federation.serviceAccountId())
        .provider(
            GoogleMetadataTokenProvider.builder(AUDIENCE).host(metadata.metadataHost()).build())
        .tokenUrl(openwif.tokenUrl())
        .build();
  }

  @Test
  void
      tokenWhenMetadataServerIssuesFullFormatTokenThenOpenWifExchangesItForAnHourLongAccessToken() {
    Instant before = Instant.now().minusSeconds(1);

    AccessToken token = credentials().token();

    assertThat(token.value()).isNotBlank();
    assertThat(token.issuedTokenType()).isEqualTo("urn:ietf:params:oauth:token-type:access_token");
    assertThat(token.expiresAt())
        .isAfter(before.plusSeconds(3500))
        .isBefore(Instant.now().plusSeconds(3601));
  }

  @Test
  void sendWhenJavaNetHttpHelperCallsResponsesThenTheModelAnswers() throws Exception {
    AuthenticatedHttpClient client =
        new AuthenticatedHttpClient(HttpClient.newHttpClient(), credentials());
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(openwif.baseUrl() + "/v1/responses"))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"model\":\"gpt-4.1-mini\",\"input\":\"Say hello from Google Cloud workload"
                        + " identity federation.\"}"))
            .build();

    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = new ObjectMapper().readTree(response.body());
    assertThat(body.get("object").asText()).isEqualTo("response");
    assertThat(body.get("model").asText()).isEqualTo("gpt-4.1-mini");
    assertThat(body.at("/output/0/content/0/text").asText()).isNotBlank();
  }

  @Test
  void credentialsWhenConfiguredFromTheGuidesEnvironmentThenTheExchangeSucceeds() {
    Map<String, String> env =
        Map.of(
            "OPENAI_IDENTITY_PROVIDER_ID", federation.providerId(),
            "OPENAI_SERVICE_ACCOUNT_ID", federation.serviceAccountId(),
            "OPENAI_WIF_AUDIENCE", AUDIENCE,
            "OPENAI_WIF_TOKEN_URL", openwif.tokenUrl(),
            "GCE_METADATA_HOST", metadata.metadataHost());

    assertThat(WorkloadIdentityEnvironment.credentials(env).accessToken()).isNotBlank();
  }
}
