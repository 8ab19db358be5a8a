package dev.openwif.emulator.gce;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.openwif.emulator.OidcDiscoveryDocument;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Answers HTTP requests as the metadata server does: {@code Metadata-Flavor: Google} is required on
 * {@code /computeMetadata/v1/} (403 without it) and echoed on every metadata response, requests
 * carrying {@code X-Forwarded-For} are refused (403, the server only answers the VM itself), the
 * identity endpoint needs a non-empty {@code audience} (400), and text values are sent without a
 * trailing newline.
 *
 * <p>Also serves, outside the metadata tree and without those header rules, the issuer's discovery
 * document and JWKS so that a verifier can find the keys. Thread-safe.
 */
final class GceMetadataHandler implements Handler {
  static final HeaderName METADATA_FLAVOR = HeaderNames.create("Metadata-Flavor");
  static final String JWKS_PATH = "/oauth2/v3/certs";
  private static final String V1 = "/computeMetadata/v1/";
  private static final String ACCOUNTS = "instance/service-accounts/";
  private static final String TEXT = "application/text";
  private static final String JSON = "application/json";
  private static final List<String> SCOPES =
      List.of("https://www.googleapis.com/auth/cloud-platform");

  private final GceInstance instance;
  private final GceIdentityTokenMinter minter;
  private final Supplier<Optional<String>> issuer;
  private final Supplier<Optional<String>> baseUrl;
  private final String jwksJson;

  GceMetadataHandler(
      GceInstance instance,
      GceIdentityTokenMinter minter,
      Supplier<Optional<String>> issuer,
      Supplier<Optional<String>> baseUrl,
      String jwksJson) {
    this.instance = Objects.requireNonNull(instance, "instance");
    this.minter = Objects.requireNonNull(minter, "minter");
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
    this.jwksJson = Objects.requireNonNull(jwksJson, "jwksJson");
  }

  @Override
  public void handle(ServerRequest req, ServerResponse res) {
    String path = req.path().path();
    if (!req.prologue().method().equals(Method.GET)) {
      reply(res, Status.METHOD_NOT_ALLOWED_405, TEXT, "Method Not Allowed");
      return;
    }
    if (path.equals(OidcDiscoveryDocument.PATH) || path.equals(JWKS_PATH)) {
      servePublicDocument(path, res);
      return;
    }
    res.header(METADATA_FLAVOR, "Google");
    res.header(HeaderNames.SERVER, "Metadata Server for VM");
    if (req.headers().contains(HeaderNames.X_FORWARDED_FOR)) {
      reply(
          res, Status.FORBIDDEN_403, TEXT, "Request had X-Forwarded-For header and was rejected.");
      return;
    }
    if (path.equals("/")) {
      reply(res, Status.OK_200, TEXT, "computeMetadata/\n");
      return;
    }
    if (!path.startsWith(V1)) {
      notFound(res);
      return;
    }
    if (!"Google".equals(req.headers().first(METADATA_FLAVOR).orElse(""))) {
      reply(
          res,
          Status.FORBIDDEN_403,
          TEXT,
          "Missing required header \"Metadata-Flavor\": \"Google\"");
      return;
    }
    serveMetadata(path.substring(V1.length()), req, res);
  }

  private void servePublicDocument(String path, ServerResponse res) {
    Optional<String> iss = issuer.get();
    Optional<String> base = baseUrl.get();
    if (iss.isEmpty() || base.isEmpty()) {
      reply(res, Status.SERVICE_UNAVAILABLE_503, TEXT, "starting");
      return;
    }
    String body =
        path.equals(JWKS_PATH)
            ? jwksJson
            : new OidcDiscoveryDocument(iss.get(), base.get() + JWKS_PATH).toJson();
    reply(res, Status.OK_200, JSON, body);
  }

  private void serveMetadata(String path, ServerRequest req, ServerResponse res) {
    switch (path) {
      case "project/project-id" -> reply(res, Status.OK_200, TEXT, instance.projectId());
      case "project/numeric-project-id" ->
          reply(res, Status.OK_200, TEXT, Long.toString(instance.projectNumber()));
      case "instance/zone" -> reply(res, Status.OK_200, TEXT, instance.zonePath());
      case "instance/id" -> reply(res, Status.OK_200, TEXT, instance.instanceId());
      case "instance/name" -> reply(res, Status.OK_200, TEXT, instance.instanceName());
      case "universe/universe-domain" -> reply(res, Status.OK_200, TEXT, "googleapis.com");
      case ACCOUNTS -> serveAccountList(req, res);
      default -> serveAccount(path, req, res);
    }
  }

  private void serveAccountList(ServerRequest req, ServerResponse res) {
    if (isTrue(req.query().first("recursive").orElse("false"))) {
      Map<String, Object> accounts = new LinkedHashMap<>();
      accounts.put("default", accountJson(List.of("default")));
      accounts.put(instance.serviceAccountEmail(), accountJson(List.of("default")));
      reply(res, Status.OK_200, JSON, JSONObjectUtils.toJSONString(accounts));
      return;
    }
    reply(res, Status.OK_200, TEXT, "default/\n" + instance.serviceAccountEmail() + "/\n");
  }

  private Map<String, Object> accountJson(List<String> aliases) {
    Map<String, Object> account = new LinkedHashMap<>();
    account.put("aliases", aliases);
    account.put("email", instance.serviceAccountEmail());
    account.put("scopes", SCOPES);
    return account;
  }

  private void serveAccount(String path, ServerRequest req, ServerResponse res) {
    if (!path.startsWith(ACCOUNTS)) {
      notFound(res);
      return;
    }
    String rest = path.substring(ACCOUNTS.length());
    int slash = rest.indexOf('/');
    String account = slash < 0 ? rest : rest.substring(0, slash);
    String leaf = slash < 0 ? "" : rest.substring(slash + 1);
    if (!account.equals("default") && !account.equals(instance.serviceAccountEmail())) {
      notFound(res);
      return;
    }
    switch (leaf) {
      case "email" -> reply(res, Status.OK_200, TEXT, instance.serviceAccountEmail());
      case "aliases" -> reply(res, Status.OK_200, TEXT, "default");
      case "scopes" -> reply(res, Status.OK_200, TEXT, String.join("\n", SCOPES) + "\n");
      case "identity" -> serveIdentity(req, res);
      case "" -> reply(res, Status.OK_200, TEXT, "aliases\nemail\nidentity\nscopes\n");
      default -> notFound(res);
    }
  }

  private void serveIdentity(ServerRequest req, ServerResponse res) {
    String audience = req.query().first("audience").orElse("");
    if (audience.isEmpty()) {
      reply(res, Status.BAD_REQUEST_400, TEXT, "non-empty audience parameter required");
      return;
    }
    String formatValue = req.query().first("format").orElse("standard");
    Optional<IdentityTokenFormat> format = IdentityTokenFormat.fromQueryValue(formatValue);
    if (format.isEmpty()) {
      reply(
          res,
          Status.BAD_REQUEST_400,
          TEXT,
          "invalid format parameter: must be 'standard' or 'full'");
      return;
    }
    String licensesValue = req.query().first("licenses").orElse("FALSE");
    if (!isTrue(licensesValue) && !licensesValue.equalsIgnoreCase("false")) {
      reply(
          res,
          Status.BAD_REQUEST_400,
          TEXT,
          "invalid licenses parameter: must be 'TRUE' or 'FALSE'");
      return;
    }
    Optional<String> iss = issuer.get();
    if (iss.isEmpty()) {
      reply(res, Status.SERVICE_UNAVAILABLE_503, TEXT, "starting");
      return;
    }
    reply(
        res,
        Status.OK_200,
        TEXT,
        minter.mint(iss.get(), audience, format.get(), isTrue(licensesValue)));
  }

  private static boolean isTrue(String value) {
    return value.toLowerCase(Locale.ROOT).equals("true");
  }

  private static void notFound(ServerResponse res) {
    reply(res, Status.NOT_FOUND_404, TEXT, "Not Found");
  }

  private static void reply(ServerResponse res, Status status, String contentType, String body) {
    res.status(status);
    res.header(HeaderNames.CONTENT_TYPE, contentType);
    res.send(body);
  }
}
