package dev.openwif.client.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import dev.openwif.client.WorkloadIdentityCredentials;
import dev.openwif.client.openai.OpenAiWorkloadIdentity;
import dev.openwif.client.provider.TokenFileProvider;
import dev.openwif.testkit.TestIssuer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: the official {@code openai-java} SDK, authenticated by the adapter, calls {@code
 * /v1/responses} on an in-process OpenWIF server with its strict response validation on.
 */
class OpenAiAdapterIT {
  private static final String AUDIENCE = "https://api.openai.com/v1";
  @TempDir Path dir;
  private TestIssuer issuer;
  private OpenWifFixture openwif;
  private WorkloadIdentityCredentials credentials;

  @BeforeEach
  void start() throws Exception {
    issuer = TestIssuer.start();
    openwif = OpenWifFixture.start(dir);
    OpenWifFixture.Federation federation =
        openwif.federate(
            issuer.issuer(), AUDIENCE, Map.of("sub", "system:serviceaccount:default:openai-wif"));
    Path tokenFile = dir.resolve("token");
    Map<String, Object> claims =
        new java.util.HashMap<>(
            issuer.standardClaims(AUDIENCE, Duration.ofHours(1), Clock.systemUTC()));
    claims.put("sub", "system:serviceaccount:default:openai-wif");
    Files.writeString(tokenFile, issuer.token(claims));
    credentials =
        WorkloadIdentityCredentials.builder()
            .identityProviderId(federation.providerId())
            .serviceAccountId(federation.serviceAccountId())
            .provider(TokenFileProvider.of(tokenFile))
            .tokenUrl(openwif.tokenUrl())
            .build();
  }

  @AfterEach
  void stop() {
    openwif.close();
    issuer.close();
  }

  private static ResponseCreateParams hello() {
    return ResponseCreateParams.builder()
        .model("gpt-4.1-mini")
        .input("Say hello from Google GKE workload identity federation.")
        .build();
  }

  @Test
  void responsesCreateWhenSdkUsesTheBearerCredentialThenTheResponseValidates() {
    OpenAIClient client =
        OpenAIOkHttpClient.builder()
            .baseUrl(openwif.baseUrl() + "/v1")
            .credential(OpenAiWorkloadIdentity.credential(credentials))
            .build();

    Response response = client.responses().create(hello());

    response.validate();
    assertThat(response.model().toString()).contains("gpt-4.1-mini");
    assertThat(
            response
                .output()
                .get(0)
                .message()
                .orElseThrow()
                .content()
                .get(0)
                .outputText()
                .orElseThrow()
                .text())
        .isNotBlank();
    assertThat(response.output()).isNotEmpty();
  }

  @Test
  void responsesCreateWhenAdapterClientAfterCachedTokenWasDroppedThenStillAnswers() {
    OpenAIClient client = OpenAiWorkloadIdentity.client(openwif.baseUrl() + "/v1", credentials);
    client.responses().create(hello());

    credentials.invalidate();
    Response second = client.responses().create(hello());

    second.validate();
    assertThat(second.output()).isNotEmpty();
  }
}
