package dev.openwif.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The OpenAPI description the server serves ({@code docs/openapi.json}, from the classpath exactly
 * as the jar carries it) as a contract the integration tests hold every answer to. {@link
 * #assertResponseMatches} finds the operation by path template and method, requires the status to
 * be documented, the content type to be a documented one and the body to match its JSON Schema
 * (2020-12, as OpenAPI 3.1 uses). Paths outside the description ({@code /v1/models}, {@code
 * /healthz}) are not checked; under a described prefix, a path no template matches must be answered
 * with OpenAI's error body (404 {@code unknown_url}, or 401/429 before the admin key is checked),
 * and a described path asked with an undocumented method likewise (405 {@code method_not_allowed}).
 * Compiled schemas are cached. Thread-safe.
 */
public final class OpenApiContract {
  /** Where the jar carries the description ({@code OpenApiEndpoint} serves it). */
  public static final String RESOURCE = "/dev/openwif/server/openapi.json";

  /** An IRI the schemas are resolved under; nothing is ever fetched from it. */
  static final String BASE = "https://openwif.invalid/openapi.json";

  private static final String ADMIN_PREFIX = "/v1/organization";
  private static final String ERROR_SCHEMA = "#/components/schemas/OpenAiError";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> OAS_SCHEMAS =
      Map.of(
          "https://spec.openapis.org/oas/3.1/schema/2022-10-07", "oas-3.1-schema.json",
          "https://spec.openapis.org/oas/3.1/schema-base/2022-10-07", "oas-3.1-schema-base.json",
          "https://spec.openapis.org/oas/3.1/dialect/base", "oas-3.1-dialect-base.schema.json",
          "https://spec.openapis.org/oas/3.1/meta/base", "oas-3.1-meta-base.schema.json");

  private static final class Holder {
    static final OpenApiContract INSTANCE = new OpenApiContract(resource(RESOURCE)).compileAll();
  }

  private final String text;
  private final JsonNode document;
  private final SchemaRegistry registry;
  private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

  OpenApiContract(String text) {
    this.text = text;
    try {
      this.document = JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalStateException("the OpenAPI description is not JSON", e);
    }
    Map<String, String> sources = new HashMap<>();
    sources.put(BASE, text);
    OAS_SCHEMAS.forEach((iri, file) -> sources.put(iri, resource("/openapi/" + file)));
    // the description's own members hold no schema keywords: known, so that they are not warned of
    Dialect dialect =
        Dialect.builder(Dialects.getOpenApi31())
            .keywords(
                Stream.of("openapi", "info", "servers", "security", "tags", "paths", "components")
                    .map(NonValidationKeyword::new)
                    .toList())
            .build();
    this.registry = SchemaRegistry.withDefaultDialect(dialect, b -> b.schemas(sources));
  }

  /**
   * The description the server's jar carries, every response schema compiled. The first call pays
   * for that (a second or so on a busy machine): test helpers call it before a test starts timing
   * anything, so that no check adds more than its validation to a timed exchange.
   */
  public static OpenApiContract get() {
    return Holder.INSTANCE;
  }

  /** Compiles every response schema of every operation now, references included. */
  OpenApiContract compileAll() {
    List<String> pointers = new ArrayList<>();
    pointers.add(ERROR_SCHEMA);
    document
        .path("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .properties()
                    .forEach(
                        op ->
                            op.getValue()
                                .path("responses")
                                .properties()
                                .forEach(
                                    status -> {
                                      String at =
                                          pointer(
                                              "paths",
                                              path.getKey(),
                                              op.getKey(),
                                              "responses",
                                              status.getKey());
                                      JsonNode response = status.getValue();
                                      if (response.has("$ref")) {
                                        at = response.get("$ref").asText();
                                        response = resolve(at);
                                      }
                                      for (String type : fieldNames(response.path("content"))) {
                                        pointers.add(at + "/content/" + escape(type) + "/schema");
                                      }
                                    })));
    pointers.forEach(pointer -> schema(pointer).initializeValidators());
    return this;
  }

  /** The description's text. */
  String text() {
    return text;
  }

  JsonNode document() {
    return document;
  }

  /**
   * Checks {@code response} (its request's method and path, status, {@code Content-Type} and body)
   * against the description, and returns it.
   *
   * @throws AssertionError naming the request and what does not match
   */
  public static <T extends HttpResponse<String>> T checked(T response) {
    get()
        .assertResponseMatches(
            response.request().method(),
            response.uri().getRawPath(),
            response.statusCode(),
            response.headers().firstValue("Content-Type"),
            response.body());
    return response;
  }

  /**
   * Checks one answer against the description.
   *
   * @throws AssertionError naming the request and what does not match
   */
  public void assertResponseMatches(
      String method, String path, int status, Optional<String> contentType, String body) {
    String where = method + " " + path + " answered " + status;
    Optional<String> template = template(path);
    if (template.isEmpty()) {
      if (described(path)) {
        Set<Integer> allowed = path.startsWith(ADMIN_PREFIX) ? Set.of(401, 404, 429) : Set.of(404);
        check(where, allowed.contains(status), "a path no operation describes", body);
        matches(where, ERROR_SCHEMA, contentType, body, method);
      }
      return;
    }
    JsonNode operation = document.path("paths").path(template.get()).path(lower(method));
    if (operation.isMissingNode()) {
      Set<Integer> allowed = path.startsWith(ADMIN_PREFIX) ? Set.of(401, 405, 429) : Set.of(405);
      check(where, allowed.contains(status), "a method " + template.get() + " does not have", body);
      matches(where, ERROR_SCHEMA, contentType, body, method);
      return;
    }
    String status3 = Integer.toString(status);
    JsonNode response = operation.path("responses").path(status3);
    String pointer = pointer("paths", template.get(), lower(method), "responses", status3);
    if (response.isMissingNode()) {
      throw new AssertionError(
          where
              + ", a status the OpenAPI description does not document for "
              + method
              + " "
              + template.get()
              + " (documented: "
              + fieldNames(operation.path("responses"))
              + "); body: "
              + shortened(body));
    }
    if (response.has("$ref")) {
      pointer = response.get("$ref").asText();
      response = resolve(pointer);
    }
    JsonNode content = response.path("content");
    if (content.isMissingNode() || content.isEmpty()) {
      check(where, body.isEmpty(), "a body where the description documents none", body);
      return;
    }
    String mediaType = contentType.map(OpenApiContract::mediaType).orElse("");
    check(
        where,
        content.has(mediaType),
        "Content-Type '" + mediaType + "', not one of " + fieldNames(content),
        body);
    if (lower(method).equals("head")) {
      return;
    }
    validate(where, pointer + "/content/" + escape(mediaType) + "/schema", body);
  }

  private void matches(
      String where, String schemaRef, Optional<String> contentType, String body, String method) {
    if (lower(method).equals("head")) {
      return;
    }
    String mediaType = contentType.map(OpenApiContract::mediaType).orElse("");
    check(where, mediaType.equals("application/json"), "Content-Type '" + mediaType + "'", body);
    validate(where, schemaRef, body);
  }

  private void validate(String where, String schemaPointer, String body) {
    JsonNode value;
    try {
      value = JSON.readTree(body);
    } catch (IOException e) {
      throw new AssertionError(where + ", a body that is not JSON: " + shortened(body), e);
    }
    if (value == null || value.isMissingNode()) {
      throw new AssertionError(where + ", an empty body where JSON is documented");
    }
    List<Error> errors = schema(schemaPointer).validate(value);
    if (!errors.isEmpty()) {
      List<String> messages = new ArrayList<>();
      errors.stream().limit(10).forEach(e -> messages.add(e.toString()));
      throw new AssertionError(
          where
              + ", a body that does not match "
              + schemaPointer
              + ": "
              + messages
              + "; body: "
              + shortened(body));
    }
  }

  /** The compiled schema at {@code pointer} (a fragment such as {@code #/components/...}). */
  Schema schema(String pointer) {
    return compiled.computeIfAbsent(
        pointer,
        p -> registry.getSchema(SchemaLocation.of(BASE + (p.startsWith("#") ? p : "#" + p))));
  }

  /**
   * Validates the description itself against OpenAPI 3.1's own schema (with the schema dialect).
   */
  List<Error> validateDocument() {
    return registry
        .getSchema(SchemaLocation.of("https://spec.openapis.org/oas/3.1/schema-base/2022-10-07"))
        .validate(document);
  }

  /** Every operation the description has, as {@code METHOD /path/{template}}. */
  public Set<String> operations() {
    Set<String> operations = new LinkedHashSet<>();
    document
        .path("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .properties()
                    .forEach(
                        op -> {
                          if (HTTP_METHODS.contains(op.getKey())) {
                            operations.add(
                                op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
                          }
                        }));
    return operations;
  }

  private static final Set<String> HTTP_METHODS =
      Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

  /**
   * The template of {@code path} in the description, the one with the most literal segments when
   * several match ({@code /projects/archive} is not {@code /projects/{project_id}}'s when both
   * exist).
   */
  Optional<String> template(String path) {
    String[] segments = path.split("/", -1);
    String best = null;
    int bestLiterals = -1;
    for (var entry : document.path("paths").properties()) {
      String[] parts = entry.getKey().split("/", -1);
      if (parts.length != segments.length) {
        continue;
      }
      int literals = 0;
      boolean match = true;
      for (int i = 0; i < parts.length && match; i++) {
        if (parts[i].startsWith("{") && parts[i].endsWith("}")) {
          match = !segments[i].isEmpty();
        } else {
          match = parts[i].equals(segments[i]);
          literals++;
        }
      }
      if (match && literals > bestLiterals) {
        best = entry.getKey();
        bestLiterals = literals;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Whether {@code path} is under a prefix the description covers. */
  private static boolean described(String path) {
    return path.equals(ADMIN_PREFIX)
        || path.startsWith(ADMIN_PREFIX + "/")
        || path.startsWith("/oauth/")
        || path.equals("/openapi.json");
  }

  private JsonNode resolve(String ref) {
    if (!ref.startsWith("#/")) {
      throw new AssertionError("only local references are supported: " + ref);
    }
    JsonNode node = document.at(ref.substring(1));
    if (node.isMissingNode()) {
      throw new AssertionError("the OpenAPI description has no " + ref);
    }
    return node;
  }

  private static void check(String where, boolean ok, String problem, String body) {
    if (!ok) {
      throw new AssertionError(
          where + ", " + problem + " (OpenAPI description); body: " + shortened(body));
    }
  }

  private static String pointer(String... tokens) {
    StringBuilder out = new StringBuilder("#");
    for (String token : tokens) {
      out.append('/').append(escape(token));
    }
    return out.toString();
  }

  /** RFC 6901 escaping of one reference token. */
  private static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }

  private static String mediaType(String contentType) {
    int semicolon = contentType.indexOf(';');
    return lower((semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip());
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static String shortened(String body) {
    return body.length() > 600 ? body.substring(0, 600) + "..." : body;
  }

  private static String resource(String name) {
    try (InputStream in = OpenApiContract.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("no " + name + " on the test classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
