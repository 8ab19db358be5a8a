package dev.openwif.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.auth.K8sServiceAccountTokenProvider;
import com.openai.auth.WorkloadIdentity;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.responses.ResponseCreateParams;
import dev.openwif.emulator.EmulatorSigningKey;
import dev.openwif.emulator.gce.GceMetadataEmulator;
import dev.openwif.emulator.gke.GkeIssuerEmulator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keyless end to end, two {@code wif serve} processes from the packaged jar: server B plays OpenAI
 * (its token endpoint and its {@code /v1} with the demo model), server A is the gateway in front of
 * it. A authenticates to B by workload identity with its own platform token from the GCE metadata
 * emulator ({@code --upstream-subject-token metadata:AUDIENCE}, {@code GCE_METADATA_HOST}); the
 * official openai-java SDK calls A with a GKE workload's projected token. No upstream key is set
 * anywhere, and no admin key either: each server's generated key is read from its first start.
 *
 * <p>B mints 6 s access tokens, so A's library renews its upstream token every 3 s (half the
 * lifetime) and the renewal is seen within the test. Every wait is bounded.
 */
@Tag("deployment")
class KeylessChainIT {
  private static final String JAR = Path.of("target", "wif.jar").toAbsolutePath().toString();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration B_TOKEN_TTL = Duration.ofSeconds(6);
  private static final Pattern RESOURCE_METADATA =
      Pattern.compile("resource_metadata=\"([^\"]+)\"");

  @TempDir Path dir;

  private @Nullable GceMetadataEmulator metadata;
  private @Nullable GkeIssuerEmulator cluster;
  private final List<Server> servers = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  record Server(Process process, String url, String adminKey, Path log) {
    AdminClient admin() {
      return new AdminClient(url, adminKey, HttpClient.newHttpClient(), JSON);
    }
  }

  private void emulators() {
    metadata = GceMetadataEmulator.builder().host("127.0.0.1").port(0).start();
    cluster =
        GkeIssuerEmulator.builder()
            .host("127.0.0.1")
            .port(0)
            .signingKey(EmulatorSigningKey.generate(EmulatorSigningKey.KidStyle.BASE64URL_SHA256))
            .audience(DemoStack.AUDIENCE)
            .tokenFile(dir.resolve("gke-token"))
            .start();
  }

  @AfterEach
  void stop() throws Exception {
    for (Server server : servers) {
      server.process().destroy();
      if (!server.process().waitFor(20, TimeUnit.SECONDS)) {
        server.process().destroyForcibly();
      }
    }
    if (cluster != null) {
      cluster.close();
    }
    if (metadata != null) {
      metadata.close();
    }
  }

  /**
   * Starts {@code wif serve} on a new database with {@code args}; returns once it listens, with the
   * admin key it generated (bounded: 60 s). No {@code WIF_} variable is passed on.
   */
  private Server serve(String name, Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(JAR);
    command.add("serve");
    command.add("--dev");
    command.add("--port");
    command.add("0");
    command.add("--db");
    command.add(dir.resolve(name + ".db").toString());
    command.addAll(List.of(args));
    Path log = dir.resolve(name + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
    builder.environment().keySet().removeIf(v -> v.startsWith("WIF_") || v.startsWith("GCE_"));
    builder.environment().putAll(env);
    Process process = builder.start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String[] started =
        CompletableFuture.supplyAsync(
                () -> {
                  String key = null;
                  try {
                    for (String line; (line = out.readLine()) != null; ) {
                      if (line.startsWith("    ") && key == null) {
                        key = line.strip();
                      } else if (line.startsWith("OpenWIF listening on ")) {
                        return new String[] {line.substring("OpenWIF listening on ".length()), key};
                      }
                    }
                  } catch (IOException e) {
                    throw new IllegalStateException(e);
                  }
                  throw new IllegalStateException(name + ": wif serve ended before listening");
                })
            .get(60, TimeUnit.SECONDS);
    assertThat(started[1]).as(name + "'s generated admin key").isNotBlank();
    // keep draining stdout so that the process never blocks on a full pipe
    Thread.ofVirtual().start(() -> drain(out));
    Server server = new Server(process, started[0], started[1], log);
    servers.add(server);
    return server;
  }

  private static void drain(BufferedReader out) {
    try {
      while (out.readLine() != null) {
        // nothing to keep
      }
    } catch (IOException e) {
      // the process ended
    }
  }

  private GuideSetup.Configured configure(Server server) throws Exception {
    ObjectNode claims =
        OpenAiSdkScenariosIT.payload(metadata.identityToken(DemoStack.AUDIENCE, true));
    return new GuideSetup(
            server.admin(), new DemoConsole(new PrintWriter(new StringWriter()), JSON), JSON)
        .configure(
            metadata.issuer(),
            Map.of("sub", claims.get("sub").asText(), "email", claims.get("email").asText()),
            cluster.issuer());
  }

  private JsonNode getJson(String url) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  /** The service accounts of {@code server}'s successful exchanges, newest first. */
  private static List<String> exchangedAs(Server server) {
    JsonNode events =
        server.admin().get("/audit_logs?type=token_exchange.succeeded&limit=100").path("data");
    return StreamSupport.stream(events.spliterator(), false)
        .map(e -> e.path("token_exchange.succeeded").path("service_account_id").asText())
        .toList();
  }

  private Server b;
  private Server a;
  private GuideSetup.Target aAtB;
  private GuideSetup.Target workload;

  /**
   * Outside the test's timeout (starting two JVMs on a busy machine is not what is timed): B, its
   * trust in A's VM identity, A pointed at B by workload identity, and A's trust in the workload.
   */
  @BeforeEach
  void chain() throws Exception {
    emulators();
    b = serve("b", Map.of(), "--token-ttl", Long.toString(B_TOKEN_TTL.toSeconds()));
    aAtB = configure(b).compute(); // A's VM identity, as B knows it
    a =
        serve(
            "a",
            Map.of("GCE_METADATA_HOST", "127.0.0.1:" + metadata.port()),
            "--upstream",
            b.url() + "/v1",
            "--upstream-identity-provider-id",
            aAtB.providerId(),
            "--upstream-service-account-id",
            aAtB.serviceAccountId(),
            "--upstream-subject-token",
            "metadata:" + DemoStack.AUDIENCE,
            "--upstream-token-url",
            b.url() + "/oauth/token");
    workload = configure(a).gke(); // the GKE workload, as A knows it
  }

  @Test
  @Timeout(90)
  void chainWhenEveryHopUsesWorkloadIdentityThenTheSdkIsAnsweredByBAndTheUpstreamTokenRenews()
      throws Exception {
    // Discovery from the API URL alone: 401 -> RFC 9728 -> RFC 8414 -> the token endpoint.
    HttpResponse<String> anonymous =
        http.send(
            HttpRequest.newBuilder(URI.create(a.url() + "/v1/models")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    Matcher pointer =
        RESOURCE_METADATA.matcher(anonymous.headers().firstValue("www-authenticate").orElse(""));
    assertThat(pointer.find()).as(anonymous.headers().map().toString()).isTrue();
    assertThat(pointer.group(1)).isEqualTo(a.url() + "/.well-known/oauth-protected-resource/v1");
    JsonNode resource = getJson(pointer.group(1));
    assertProtectedResourceMetadata(resource, a.url() + "/v1", a.url());
    assertProtectedResourceMetadata(
        getJson(a.url() + "/.well-known/oauth-protected-resource"), a.url(), a.url());
    String issuer = resource.path("authorization_servers").path(0).asText();
    JsonNode server = getJson(issuer + "/.well-known/oauth-authorization-server");
    assertAuthorizationServerMetadata(server, a.url());

    // The official SDK, with the workload's own projected token, through A to B.
    SdkOrigins origins = new SdkOrigins(metadata.baseUrl(), a.url());
    Set<String> seenByB = new HashSet<>();
    int calls = 0;
    try (K8sServiceAccountTokenProvider provider =
        K8sServiceAccountTokenProvider.builder().tokenPath(cluster.tokenFile()).build()) {
      OpenAIClient client =
          OpenAIOkHttpClient.builder()
              .baseUrl(a.url() + "/v1")
              .addInterceptor(origins)
              .timeout(Duration.ofSeconds(15))
              .maxRetries(0)
              .workloadIdentity(
                  WorkloadIdentity.builder()
                      .identityProviderId(workload.providerId())
                      .serviceAccountId(workload.serviceAccountId())
                      .provider(provider)
                      .build())
              .build();
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      // A's upstream token lives 6 s and is renewed at 3 s: calls keep succeeding across renewals
      while ((calls < 3 || exchangedAs(b).size() < 3) && System.nanoTime() - deadline < 0) {
        var response =
            client
                .responses()
                .create(
                    ResponseCreateParams.builder()
                        .model(ScenarioRunner.MODEL)
                        .input("keyless " + calls)
                        .build());
        assertThat(OpenAiSdkScenariosIT.outputText(response)).contains("keyless " + calls);
        calls++;
        Thread.sleep(500);
      }
      seenByB.addAll(exchangedAs(b));
      assertThat(exchangedAs(b))
          .as("A's exchanges at B: the first one and its renewals")
          .hasSizeGreaterThanOrEqualTo(3);
      assertThat(seenByB).containsExactly(aAtB.serviceAccountId());
      assertThat(exchangedAs(a)).isNotEmpty().containsOnly(workload.serviceAccountId());
      assertThat(origins.exchanges.get()).isGreaterThanOrEqualTo(1);

      // /readyz and /metrics on A say the upstream credential is fresh
      JsonNode ready = getJson(a.url() + "/readyz");
      JsonNode check =
          StreamSupport.stream(ready.path("checks").spliterator(), false)
              .filter(c -> c.path("name").asText().equals("upstream_credential"))
              .findFirst()
              .orElseThrow();
      assertThat(check.path("ok").asBoolean()).as(check.toString()).isTrue();
      assertThat(check.path("required").asBoolean()).isFalse();
      assertThat(check.path("detail").asText()).contains(aAtB.serviceAccountId(), "fresh");
      String metrics =
          http.send(
                  HttpRequest.newBuilder(URI.create(a.url() + "/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(metrics).contains("wif_gateway_upstream_credential_fresh 1.0");

      // B stops trusting A (its rule disabled): the SDK gets a 502 naming the cause, quickly
      String rule =
          b.admin()
              .get("/workload_identity_providers/" + aAtB.providerId() + "/federation_rules")
              .path("data")
              .path(0)
              .path("id")
              .asText();
      b.admin()
          .post(
              "/workload_identity_providers/" + aAtB.providerId() + "/federation_rules/" + rule,
              JSON.createObjectNode().put("enabled", false));
      long start = System.nanoTime();
      assertThatThrownBy(
              () ->
                  client
                      .responses()
                      .create(
                          ResponseCreateParams.builder()
                              .model(ScenarioRunner.MODEL)
                              .input("refused")
                              .build()))
          .isInstanceOfSatisfying(
              OpenAIServiceException.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(502);
                assertThat(e.getMessage())
                    .contains("could not get its own credentials for the upstream API")
                    .contains("refused this gateway's token exchange");
              });
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("the refusal is answered, not waited for")
          .isLessThan(Duration.ofSeconds(10));
      client.close();
    }
    String aLog = Files.readString(a.log());
    assertThat(aLog)
        .contains("upstream token obtained by workload identity as " + aAtB.serviceAccountId())
        .contains("upstream token exchange at " + b.url() + "/oauth/token failed")
        .doesNotContain("eyJ"); // no JWT, neither the upstream token nor the subject token
  }

  /** RFC 9728 §2: {@code resource} is required; the rest as this server publishes it. */
  private static void assertProtectedResourceMetadata(
      JsonNode doc, String resource, String issuer) {
    assertThat(doc.path("resource").asText()).isEqualTo(resource);
    assertThat(doc.path("authorization_servers").isArray()).isTrue();
    assertThat(doc.path("authorization_servers").path(0).asText()).isEqualTo(issuer);
    assertThat(doc.path("scopes_supported").isArray()).isTrue();
    assertThat(doc.path("scopes_supported").size()).isPositive();
    assertThat(doc.path("bearer_methods_supported").toString()).isEqualTo("[\"header\"]");
  }

  /**
   * RFC 8414 §2: {@code issuer} and {@code response_types_supported} are required, {@code
   * token_endpoint} too unless only the implicit grant is supported; §3.3: the issuer is the URL
   * the document was fetched under. And what a workload needs: the token-exchange grant, its
   * subject token types and the introspection endpoint.
   */
  private static void assertAuthorizationServerMetadata(JsonNode doc, String issuer) {
    assertThat(doc.path("issuer").asText()).isEqualTo(issuer);
    assertThat(doc.path("response_types_supported").isArray()).isTrue();
    assertThat(doc.path("token_endpoint").asText()).isEqualTo(issuer + "/oauth/token");
    assertThat(doc.path("grant_types_supported").toString())
        .contains("urn:ietf:params:oauth:grant-type:token-exchange");
    assertThat(doc.path("subject_token_types_supported").toString())
        .contains(
            "urn:ietf:params:oauth:token-type:jwt", "urn:ietf:params:oauth:token-type:id_token");
    assertThat(doc.path("introspection_endpoint").asText()).isEqualTo(issuer + "/oauth/introspect");
    assertThat(doc.path("jwks_uri").asText()).startsWith(issuer + "/");
  }
}
