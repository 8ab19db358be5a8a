package dev.openwif.emulator.gce;

import static dev.openwif.emulator.TestHttp.get;
import static dev.openwif.emulator.TestHttp.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.openwif.emulator.JwtVerification;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GceMetadataEmulatorIT {
  private static final String AUDIENCE = "https://api.openai.com/v1";
  private static final String EMAIL = "openai-wif@my-project.iam.gserviceaccount.com";
  private static final String IDENTITY =
      "/computeMetadata/v1/instance/service-accounts/default/identity";
  private static GceMetadataEmulator metadata;

  @BeforeAll
  static void start() {
    metadata =
        GceMetadataEmulator.builder()
            .serviceAccountEmail(EMAIL)
            .projectId("my-project")
            .zone("europe-west1-b")
            .licenseIds(List.of("1000201"))
            .start();
  }

  @AfterAll
  static void stop() {
    metadata.close();
  }

  private static HttpResponse<String> metadataGet(String pathAndQuery) {
    return get(metadata.baseUrl() + pathAndQuery, "Metadata-Flavor", "Google");
  }

  private static String audienceQuery() {
    return "?audience=" + URLEncoder.encode(AUDIENCE, StandardCharsets.UTF_8);
  }

  @Test
  void identityWhenFormatFullThenGoogleShapedTokenVerifiesAgainstServedJwks()
      throws ParseException {
    HttpResponse<String> response = metadataGet(IDENTITY + audienceQuery() + "&format=full");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Metadata-Flavor")).hasValue("Google");
    SignedJWT jwt = JwtVerification.verifiedThroughDiscovery(metadata.baseUrl(), response.body());
    assertThat(jwt.getHeader().getKeyID()).matches("[0-9a-f]{40}");
    assertThat(jwt.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
    JWTClaimsSet claims = jwt.getJWTClaimsSet();
    assertThat(claims.getIssuer()).isEqualTo(metadata.baseUrl()).isEqualTo(metadata.issuer());
    assertThat(JwtVerification.rawPayload(jwt).get("aud")).isEqualTo(AUDIENCE);
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
        .containsEntry("zone", "europe-west1-b")
        .containsEntry("instance_id", metadata.instance().instanceId())
        .containsEntry("instance_name", "openwif-emulated-vm")
        .containsKey("instance_creation_timestamp")
        .doesNotContainKey("license_id");
  }

  @Test
  void identityWhenLicensesTrueWithFullThenLicenseIds() throws ParseException {
    HttpResponse<String> response =
        metadataGet(IDENTITY + audienceQuery() + "&format=full&licenses=TRUE");

    assertThat(response.statusCode()).isEqualTo(200);
    JWTClaimsSet claims = SignedJWT.parse(response.body()).getJWTClaimsSet();
    Map<String, Object> google = claims.getJSONObjectClaim("google");
    assertThat(JSONObjectUtils.getJSONObject(google, "compute_engine").get("license_id"))
        .isEqualTo(List.of("1000201"));
  }

  @ParameterizedTest(name = "[{index}] ''{0}''")
  @ValueSource(strings = {"", "&format=standard"})
  void identityWhenStandardFormatThenNoEmailAndNoInstanceClaims(String formatQuery)
      throws ParseException {
    HttpResponse<String> response = metadataGet(IDENTITY + audienceQuery() + formatQuery);

    assertThat(response.statusCode()).isEqualTo(200);
    JWTClaimsSet claims =
        JwtVerification.verifiedThroughDiscovery(metadata.baseUrl(), response.body())
            .getJWTClaimsSet();
    assertThat(claims.getClaims().keySet())
        .containsExactlyInAnyOrder("aud", "azp", "exp", "iat", "iss", "sub");
  }

  @ParameterizedTest(name = "[{index}] ''{0}''")
  @ValueSource(strings = {"", "?audience=", "?format=full"})
  void identityWhenAudienceMissingThen400(String query) {
    HttpResponse<String> response = metadataGet(IDENTITY + query);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).isEqualTo("non-empty audience parameter required");
    assertThat(response.headers().firstValue("Metadata-Flavor")).hasValue("Google");
  }

  @ParameterizedTest(name = "[{index}] ''{0}''")
  @ValueSource(strings = {"&format=compact", "&licenses=maybe"})
  void identityWhenParameterInvalidThen400(String query) {
    assertThat(metadataGet(IDENTITY + audienceQuery() + query).statusCode()).isEqualTo(400);
  }

  @Test
  void identityWhenAddressedByEmailThenSameAccount() throws ParseException {
    HttpResponse<String> byEmail =
        metadataGet(
            "/computeMetadata/v1/instance/service-accounts/"
                + EMAIL
                + "/identity"
                + audienceQuery()
                + "&format=full");

    assertThat(byEmail.statusCode()).isEqualTo(200);
    assertThat(SignedJWT.parse(byEmail.body()).getJWTClaimsSet().getStringClaim("email"))
        .isEqualTo(EMAIL);
  }

  @ParameterizedTest(name = "[{index}] ''{0}''")
  @ValueSource(strings = {"", "Flavor: Google", "google"})
  void metadataWhenFlavorHeaderMissingOrWrongThen403WithFlavorHeader(String flavor) {
    String url = metadata.baseUrl() + "/computeMetadata/v1/project/project-id";
    HttpResponse<String> response =
        flavor.isEmpty() ? get(url) : get(url, "Metadata-Flavor", flavor);

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("Metadata-Flavor")).hasValue("Google");
    assertThat(response.body()).doesNotContain("my-project");
  }

  @Test
  void metadataWhenXForwardedForThen403() {
    HttpResponse<String> response =
        get(
            metadata.baseUrl() + IDENTITY + audienceQuery(),
            "Metadata-Flavor",
            "Google",
            "X-Forwarded-For",
            "10.0.0.1");

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).doesNotStartWith("eyJ");
  }

  @Test
  void emailWhenRequestedThenExactEmailWithoutTrailingNewline() {
    HttpResponse<String> response =
        metadataGet("/computeMetadata/v1/instance/service-accounts/default/email");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(EMAIL);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/text");
  }

  @Test
  void projectAndZoneWhenRequestedThenRealFormats() {
    assertThat(metadataGet("/computeMetadata/v1/project/project-id").body())
        .isEqualTo("my-project");
    assertThat(metadataGet("/computeMetadata/v1/project/numeric-project-id").body())
        .isEqualTo(Long.toString(metadata.instance().projectNumber()));
    assertThat(metadataGet("/computeMetadata/v1/instance/zone").body())
        .isEqualTo("projects/" + metadata.instance().projectNumber() + "/zones/europe-west1-b");
  }

  @Test
  void serviceAccountsWhenListedThenDefaultAndEmail() throws ParseException {
    assertThat(metadataGet("/computeMetadata/v1/instance/service-accounts/").body())
        .isEqualTo("default/\n" + EMAIL + "/\n");
    HttpResponse<String> recursive =
        metadataGet("/computeMetadata/v1/instance/service-accounts/?recursive=true");
    assertThat(recursive.headers().firstValue("Content-Type")).hasValue("application/json");
    Map<String, Object> accounts = JSONObjectUtils.parse(recursive.body());
    assertThat(accounts).containsOnlyKeys("default", EMAIL);
    assertThat(JSONObjectUtils.getJSONObject(accounts, "default")).containsEntry("email", EMAIL);
  }

  @Test
  void rootWhenProbedThenAnswersWithFlavorHeader() {
    HttpResponse<String> response = get(metadata.baseUrl() + "/", "Metadata-Flavor", "Google");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Metadata-Flavor")).hasValue("Google");
  }

  @ParameterizedTest(name = "[{index}] ''{0}''")
  @ValueSource(
      strings = {
        "/computeMetadata/v1/instance/nothing",
        "/computeMetadata/v1/instance/service-accounts/other@x.com/email",
        "/elsewhere"
      })
  void unknownPathWhenRequestedThen404(String path) {
    assertThat(metadataGet(path).statusCode()).isEqualTo(404);
  }

  @Test
  void identityWhenPostedThen405() {
    assertThat(
            post(metadata.baseUrl() + IDENTITY + audienceQuery(), "Metadata-Flavor", "Google")
                .statusCode())
        .isEqualTo(405);
  }

  @Test
  void issuerWhenConfiguredThenTokensAndDiscoveryCarryIt() throws ParseException {
    try (GceMetadataEmulator google =
        GceMetadataEmulator.builder().issuer("https://accounts.google.com").start()) {
      String token =
          get(google.baseUrl() + IDENTITY + audienceQuery(), "Metadata-Flavor", "Google").body();

      SignedJWT jwt = JwtVerification.verifiedThroughDiscovery(google.baseUrl(), token);
      assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo("https://accounts.google.com");
      assertThat(get(google.baseUrl() + "/.well-known/openid-configuration").body())
          .contains("\"issuer\":\"https://accounts.google.com\"");
    }
  }

  @Test
  void subWhenSameEmailThenSameUniqueIdAndOtherEmailDiffers() throws ParseException {
    try (GceMetadataEmulator same =
            GceMetadataEmulator.builder().serviceAccountEmail(EMAIL).start();
        GceMetadataEmulator other =
            GceMetadataEmulator.builder()
                .serviceAccountEmail("other@my-project.iam.gserviceaccount.com")
                .start()) {
      String mine =
          SignedJWT.parse(metadata.identityToken(AUDIENCE, false)).getJWTClaimsSet().getSubject();

      assertThat(
              SignedJWT.parse(same.identityToken(AUDIENCE, false)).getJWTClaimsSet().getSubject())
          .isEqualTo(mine);
      assertThat(
              SignedJWT.parse(other.identityToken(AUDIENCE, false)).getJWTClaimsSet().getSubject())
          .matches("1[0-9]{20}")
          .isNotEqualTo(mine);
    }
  }

  @Test
  void startWhenPortInUseThenRefusedNamingThePort() throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      GceMetadataEmulator.Builder builder =
          GceMetadataEmulator.builder().port(taken.getLocalPort());

      org.assertj.core.api.Assertions.assertThatThrownBy(builder::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort());
    }
  }

  @Test
  void keyFileWhenReusedThenJwksIsStableAcrossRuns(@TempDir Path dir) throws ParseException {
    Path keyFile = dir.resolve("gce-key.json");
    String printed =
        GceMetadataEmulator.builder().keyFile(keyFile).resolveSigningKey().publicJwksJson();

    try (GceMetadataEmulator later = GceMetadataEmulator.builder().keyFile(keyFile).start()) {
      assertThat(later.jwksJson()).isEqualTo(printed);
      assertThat(get(later.baseUrl() + "/oauth2/v3/certs").body()).isEqualTo(printed);
      assertThat(printed).doesNotContain("\"d\"");
    }
  }
}
