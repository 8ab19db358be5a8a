package dev.openwif.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI description is valid OpenAPI 3.1, every schema in it compiles and resolves, it is
 * {@code docs/openapi.json} byte for byte, and {@link OpenApiContract} refuses what it must: an
 * undocumented status, a body that does not match, an undocumented member, a wrong content type.
 */
class OpenApiContractTest {
  private static final Optional<String> JSON = Optional.of("application/json");
  private static final String PROJECT =
      "{\"object\":\"organization.project\",\"id\":\"proj_1\",\"name\":\"p\",\"created_at\":1,"
          + "\"archived_at\":null,\"status\":\"active\"}";
  private static final JsonNode EMPTY = new ObjectMapper().createObjectNode();
  private final OpenApiContract contract = OpenApiContract.get();

  @Test
  void documentWhenCheckedAgainstOpenApi31SchemaThenValid() {
    assertThat(contract.document().path("openapi").asText()).isEqualTo("3.1.0");
    assertThat(contract.validateDocument()).isEmpty();
  }

  @Test
  void documentWhenBrokenThenOpenApi31SchemaRefusesIt() {
    OpenApiContract broken =
        new OpenApiContract(
            contract.text().replace("\"openapi\": \"3.1.0\"", "\"openapi\": \"3.1.0\", \"x\": 1"));
    OpenApiContract noInfo =
        new OpenApiContract(contract.text().replaceFirst("\"info\":", "\"inf\":"));

    assertThat(broken.validateDocument()).isNotEmpty();
    assertThat(noInfo.validateDocument()).isNotEmpty();
  }

  @Test
  void everyReferenceWhenFollowedThenFoundAndEverySchemaCompiles() {
    List<String> refs = new ArrayList<>();
    collectRefs(contract.document(), refs);
    for (String ref : refs) {
      assertThat(ref).as("local reference").startsWith("#/");
      assertThat(contract.document().at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
    }
    List<String> schemas = new ArrayList<>();
    contract
        .document()
        .path("components")
        .path("schemas")
        .fieldNames()
        .forEachRemaining(name -> schemas.add("#/components/schemas/" + name));
    for (String pointer : schemas) {
      assertThatCode(() -> contract.schema(pointer).validate(EMPTY))
          .as(pointer)
          .doesNotThrowAnyException();
    }
    assertThat(refs).hasSizeGreaterThan(100);
    assertThat(schemas).hasSizeGreaterThan(30);
  }

  private static void collectRefs(JsonNode node, List<String> refs) {
    if (node.isObject() && node.has("$ref")) {
      refs.add(node.get("$ref").asText());
    }
    node.forEach(child -> collectRefs(child, refs));
  }

  @Test
  void servedCopyWhenComparedWithDocsThenIdentical() throws Exception {
    Path docs = repositoryRoot().resolve("docs/openapi.json");

    assertThat(contract.text()).isEqualTo(Files.readString(docs, StandardCharsets.UTF_8));
  }

  @Test
  void responseWhenDocumentedAndMatchingThenAccepted() {
    assertThatCode(
            () ->
                contract.assertResponseMatches(
                    "POST", "/v1/organization/projects", 200, JSON, PROJECT))
        .doesNotThrowAnyException();
    assertThatCode(
            () ->
                contract.assertResponseMatches(
                    "GET",
                    "/v1/organization/projects/proj_1",
                    404,
                    Optional.of("application/json; charset=UTF-8"),
                    "{\"error\":{\"message\":\"No project\",\"type\":\"invalid_request_error\","
                        + "\"param\":null,\"code\":null}}"))
        .doesNotThrowAnyException();
  }

  @Test
  void responseWhenStatusUndocumentedThenRefused() {
    assertThatThrownBy(
            () ->
                contract.assertResponseMatches(
                    "GET", "/v1/organization/status", 404, JSON, "{\"error\":{}}"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("GET /v1/organization/status answered 404")
        .hasMessageContaining("does not document");
  }

  @Test
  void responseWhenMemberMissingOrUndocumentedOrWronglyTypedThenRefused() {
    String missing = PROJECT.replace(",\"status\":\"active\"", "");
    String extra = PROJECT.replace("}", ",\"etag\":\"x\"}");
    String wrongType = PROJECT.replace("\"created_at\":1", "\"created_at\":\"1\"");

    for (String body : List.of(missing, extra, wrongType)) {
      assertThatThrownBy(
              () ->
                  contract.assertResponseMatches(
                      "GET", "/v1/organization/projects/proj_1", 200, JSON, body))
          .as(body)
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("does not match #/paths/");
    }
  }

  @Test
  void responseWhenContentTypeOrShapeWrongThenRefused() {
    assertThatThrownBy(
            () ->
                contract.assertResponseMatches(
                    "POST", "/v1/organization/projects", 200, Optional.of("text/plain"), PROJECT))
        .hasMessageContaining("Content-Type 'text/plain'");
    // the token endpoint's errors are top-level OAuth errors, never OpenAI's nested shape
    assertThatThrownBy(
            () ->
                contract.assertResponseMatches(
                    "POST",
                    "/oauth/token",
                    400,
                    JSON,
                    "{\"error\":{\"message\":\"m\",\"type\":\"t\",\"param\":null,\"code\":null}}"))
        .hasMessageContaining("does not match");
    assertThatThrownBy(
            () ->
                contract.assertResponseMatches(
                    "POST",
                    "/oauth/token",
                    401,
                    JSON,
                    "{\"error\":\"invalid_request\",\"error_description\":\"d\"}"))
        .as("401 is invalid_grant only")
        .hasMessageContaining("does not match");
  }

  @Test
  void pathWhenUndescribedMethodOrUnknownThenOnlyTheFallbackErrorsAccepted() {
    String unknownUrl =
        "{\"error\":{\"message\":\"Invalid URL\",\"type\":\"invalid_request_error\","
            + "\"param\":null,\"code\":\"unknown_url\"}}";
    assertThatCode(
            () ->
                contract.assertResponseMatches(
                    "GET", "/v1/organization/nothing", 404, JSON, unknownUrl))
        .doesNotThrowAnyException();
    assertThatCode(
            () -> contract.assertResponseMatches("PUT", "/oauth/token", 405, JSON, unknownUrl))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> contract.assertResponseMatches("PUT", "/oauth/token", 200, JSON, "{}"))
        .hasMessageContaining("a method /oauth/token does not have");
    // outside the described prefixes nothing is checked
    assertThatCode(() -> contract.assertResponseMatches("GET", "/v1/models", 200, JSON, "[]"))
        .doesNotThrowAnyException();
  }

  @Test
  void templateWhenSeveralMatchThenTheMostLiteralWins() {
    assertThat(contract.template("/v1/organization/projects/p1/archive"))
        .hasValue("/v1/organization/projects/{project_id}/archive");
    assertThat(contract.template("/v1/organization/projects/p1"))
        .hasValue("/v1/organization/projects/{project_id}");
    assertThat(contract.template("/v1/organization/projects/")).isEmpty();
  }

  @Test
  void operationsWhenListedThenCoverAdminAndTokenService() {
    JsonNode paths = contract.document().path("paths");

    assertThat(contract.operations())
        .contains(
            "POST /oauth/token",
            "POST /oauth/introspect",
            "GET /openapi.json",
            "DELETE /v1/organization/workload_identity_providers/{id}");
    assertThat(paths.size()).isGreaterThan(10);
  }

  static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("docs/openapi.json"))) {
        return dir;
      }
    }
    throw new AssertionError("no parent directory of the working directory has docs/openapi.json");
  }
}
