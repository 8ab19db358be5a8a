package dev.openwif.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.auth.GcpIdTokenProvider;
import com.openai.auth.K8sServiceAccountTokenProvider;
import com.openai.auth.SubjectTokenProvider;
import com.openai.auth.WorkloadIdentity;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.models.Model;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both scenarios of the guide with the official {@code com.openai:openai-java} SDK and its own
 * subject token providers, {@code GcpIdTokenProvider} (metadata server) and {@code
 * K8sServiceAccountTokenProvider} (projected token file), against an in-process OpenWIF configured
 * as the guide says and the two emulators. The SDK is unchanged: only its hard-coded origins are
 * rewritten by {@link SdkOrigins}.
 */
class OpenAiSdkScenariosIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  static DemoStack stack;
  static GuideSetup.Configured configured;

  @BeforeAll
  static void start() throws Exception {
    stack = DemoStack.start(new SecureRandom());
    AdminClient admin =
        new AdminClient(
            stack.server().baseUrl(), stack.adminKey(), HttpClient.newHttpClient(), JSON);
    ObjectNode sample = payload(stack.metadata().identityToken(DemoStack.AUDIENCE, true));
    DemoConsole quiet = new DemoConsole(new PrintWriter(new StringWriter()), JSON);
    configured =
        new GuideSetup(admin, quiet, JSON)
            .configure(
                stack.metadata().issuer(),
                Map.of("sub", sample.get("sub").asText(), "email", sample.get("email").asText()),
                stack.cluster().issuer());
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  static ObjectNode payload(String jwt) throws java.io.IOException {
    return (ObjectNode)
        JSON.readTree(
            new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
  }

  static OpenAIClient sdk(
      GuideSetup.Target target, SubjectTokenProvider provider, SdkOrigins origins) {
    return OpenAIOkHttpClient.builder()
        .baseUrl(stack.server().baseUrl() + "/v1")
        .addInterceptor(origins)
        .responseValidation(true)
        .timeout(Duration.ofSeconds(20))
        .workloadIdentity(
            WorkloadIdentity.builder()
                .identityProviderId(target.providerId())
                .serviceAccountId(target.serviceAccountId())
                .provider(provider)
                .build())
        .build();
  }

  static String outputText(Response response) {
    return response.output().getFirst().asMessage().content().getFirst().asOutputText().text();
  }

  @Test
  void
      gcpIdTokenProviderWhenMetadataOriginRewrittenThenGoogleScenarioListsModelsAndCreatesAResponse() {
    SdkOrigins origins = new SdkOrigins(stack.metadata().baseUrl(), stack.server().baseUrl());
    OpenAIClient client =
        sdk(
            configured.compute(),
            GcpIdTokenProvider.builder().audience(DemoStack.AUDIENCE).build(),
            origins);

    var models = client.models().list().data();
    Response response =
        client
            .responses()
            .create(
                ResponseCreateParams.builder()
                    .model(ScenarioRunner.MODEL)
                    .input(GuideDemo.COMPUTE_INPUT)
                    .build());
    client.close();

    assertThat(models).extracting(Model::id).containsExactly("openwif-demo-1");
    assertThat(outputText(response))
        .isEqualTo("Hello from OpenWIF (demo model): you said \"" + GuideDemo.COMPUTE_INPUT + "\"");
    assertThat(origins.metadataRequests.get()).isEqualTo(1);
    assertThat(origins.exchanges.get()).isEqualTo(1);
  }

  @Test
  void
      k8sServiceAccountTokenProviderWhenTokenFileMountedThenGkeScenarioListsModelsAndCreatesAResponse() {
    SdkOrigins origins = new SdkOrigins(stack.metadata().baseUrl(), stack.server().baseUrl());
    try (K8sServiceAccountTokenProvider provider =
        K8sServiceAccountTokenProvider.builder().tokenPath(stack.cluster().tokenFile()).build()) {
      OpenAIClient client = sdk(configured.gke(), provider, origins);

      var models = client.models().list().data();
      Response response =
          client
              .responses()
              .create(
                  ResponseCreateParams.builder()
                      .model(ScenarioRunner.MODEL)
                      .input(GuideDemo.GKE_INPUT)
                      .build());
      client.close();

      assertThat(models).extracting(Model::id).containsExactly("openwif-demo-1");
      assertThat(outputText(response))
          .isEqualTo("Hello from OpenWIF (demo model): you said \"" + GuideDemo.GKE_INPUT + "\"");
    }
    assertThat(origins.metadataRequests.get()).isZero();
    assertThat(origins.exchanges.get()).isEqualTo(1);
  }
}
