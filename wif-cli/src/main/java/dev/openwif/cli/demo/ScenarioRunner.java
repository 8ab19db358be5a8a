package dev.openwif.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openwif.client.AccessToken;
import dev.openwif.client.WorkloadIdentityCredentials;
import dev.openwif.client.WorkloadIdentityException;
import dev.openwif.client.http.AuthenticatedHttpClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * Runs one {@link Scenario} as the guide describes it, with the client library: get the subject
 * token, decode it locally, exchange it at the server's {@code /oauth/token}, then call {@code POST
 * /v1/responses} with model {@code gpt-4.1-mini}. Each step is printed and checked. Not
 * thread-safe.
 */
final class ScenarioRunner {
  static final String MODEL = "gpt-4.1-mini";
  static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final DemoConsole console;
  private final Function<String, ObjectNode> decodeClaims;
  private final String serverUrl;
  private final HttpClient http;
  private final ObjectMapper json;

  ScenarioRunner(
      DemoConsole console,
      Function<String, ObjectNode> decodeClaims,
      String serverUrl,
      HttpClient http,
      ObjectMapper json) {
    this.console = Objects.requireNonNull(console, "console");
    this.decodeClaims = Objects.requireNonNull(decodeClaims, "decodeClaims");
    this.serverUrl = Objects.requireNonNull(serverUrl, "serverUrl");
    this.http = Objects.requireNonNull(http, "http");
    this.json = Objects.requireNonNull(json, "json");
  }

  void run(Scenario scenario) {
    console.section(scenario.number() + ". " + scenario.title());
    console.step(scenario.number() + ".1", "Get the subject token");
    scenario.source().lines().forEach(console::line);
    String token = subjectToken(scenario);
    console.ok("received a JWT of " + token.length() + " characters");

    console.step(scenario.number() + ".2", "Verify the token: decode it locally");
    ObjectNode claims = decodeClaims.apply(token);
    console.json(claims);
    console.line("(decoded here, signature not verified; the token was not sent anywhere)");
    scenario.claimsCheck().accept(claims);

    console.step(scenario.number() + ".3", "Exchange it for an access token (RFC 8693)");
    console.line("POST " + serverUrl + "/oauth/token");
    WorkloadIdentityCredentials credentials =
        WorkloadIdentityCredentials.builder()
            .identityProviderId(scenario.target().providerId())
            .serviceAccountId(scenario.target().serviceAccountId())
            .provider(scenario.provider())
            .tokenUrl(serverUrl + "/oauth/token")
            .requestTimeout(TIMEOUT)
            .build();
    AccessToken access = exchange(credentials);
    long expiresIn = Duration.between(access.obtainedAt(), access.expiresAt()).toSeconds();
    console.field("token type", "Bearer (" + access.issuedTokenType() + ")");
    console.field("expires_in", expiresIn + " s");
    console.field("access token", DemoConsole.prefix(access.value()));
    console.check(
        expiresIn > 0, "the access token should expire in the future, expires_in was " + expiresIn);
    console.check(
        ACCESS_TOKEN_TYPE.equals(access.issuedTokenType()),
        "issued_token_type should be " + ACCESS_TOKEN_TYPE + ", it is " + access.issuedTokenType());

    console.step(scenario.number() + ".4", "Call the API with it");
    console.line("POST " + serverUrl + "/v1/responses");
    console.field("model", MODEL);
    console.field("input", scenario.input());
    String output = respond(new AuthenticatedHttpClient(http, credentials), scenario.input());
    console.field("output_text", output);
    console.check(
        output.contains(scenario.input()),
        "the demo model should echo the input, it answered: " + output);
    console.ok(scenario.title() + ": the workload called the API without an API key");
  }

  private String subjectToken(Scenario scenario) {
    try {
      return scenario.provider().getToken();
    } catch (IOException e) {
      throw new DemoFailure(
          scenario.provider().description() + " gave no token: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DemoFailure("interrupted while getting the subject token", e);
    }
  }

  private static AccessToken exchange(WorkloadIdentityCredentials credentials) {
    try {
      return credentials.token();
    } catch (WorkloadIdentityException e) {
      throw new DemoFailure("the exchange should succeed: " + e.getMessage(), e);
    }
  }

  private String respond(AuthenticatedHttpClient client, String input) {
    ObjectNode body = json.createObjectNode().put("model", MODEL).put("input", input);
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(serverUrl + "/v1/responses"))
              .timeout(TIMEOUT)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
              .build();
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      console.check(
          response.statusCode() == 200,
          "POST /v1/responses should answer 200, it answered "
              + response.statusCode()
              + ": "
              + response.body());
      JsonNode text =
          json.readTree(response.body())
              .path("output")
              .path(0)
              .path("content")
              .path(0)
              .path("text");
      console.check(
          text.isTextual(),
          "the response should carry output[0].content[0].text: " + response.body());
      return text.asText();
    } catch (IOException | WorkloadIdentityException e) {
      throw new DemoFailure("POST /v1/responses failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DemoFailure("interrupted while calling the API", e);
    }
  }
}
