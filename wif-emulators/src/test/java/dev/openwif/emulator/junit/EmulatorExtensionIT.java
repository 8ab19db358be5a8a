package dev.openwif.emulator.junit;

import static dev.openwif.emulator.TestHttp.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.openwif.emulator.JwtVerification;
import dev.openwif.emulator.gce.GceMetadataEmulator;
import dev.openwif.emulator.gke.GkeIssuerEmulator;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.text.ParseException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@WithGceMetadataEmulator(
    serviceAccountEmail = "app@my-project.iam.gserviceaccount.com",
    projectId = "my-project")
@WithGkeIssuerEmulator(
    namespace = "payments",
    serviceAccount = "billing",
    audience = "https://wif.example",
    expirationSeconds = 600)
class EmulatorExtensionIT {
  private static GkeIssuerEmulator fromBeforeAll;
  private final GceMetadataEmulator fromConstructor;

  EmulatorExtensionIT(GceMetadataEmulator metadata) {
    this.fromConstructor = metadata;
  }

  @BeforeAll
  static void rememberCluster(GkeIssuerEmulator cluster) {
    fromBeforeAll = cluster;
  }

  @Test
  void gceWhenInjectedThenRunningWithTheAnnotationsSettings(GceMetadataEmulator metadata) {
    HttpResponse<String> email =
        get(
            metadata.baseUrl() + "/computeMetadata/v1/instance/service-accounts/default/email",
            "Metadata-Flavor",
            "Google");

    assertThat(metadata).isSameAs(fromConstructor);
    assertThat(metadata.baseUrl()).startsWith("http://127.0.0.1:").doesNotEndWith(":0");
    assertThat(email.statusCode()).isEqualTo(200);
    assertThat(email.body()).isEqualTo("app@my-project.iam.gserviceaccount.com");
    assertThat(metadata.issuer()).isEqualTo(metadata.baseUrl());
  }

  @Test
  void gkeWhenInjectedThenTokenFileHoldsTheAnnotatedIdentity(GkeIssuerEmulator cluster)
      throws IOException, ParseException {
    String token = Files.readString(cluster.tokenFile());

    assertThat(cluster).isSameAs(fromBeforeAll);
    SignedJWT jwt = JwtVerification.verifiedThroughDiscovery(cluster.issuer(), token);
    assertThat(jwt.getJWTClaimsSet().getSubject())
        .isEqualTo("system:serviceaccount:payments:billing");
    assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("https://wif.example");
    assertThat(
            jwt.getJWTClaimsSet().getExpirationTime().getTime()
                - jwt.getJWTClaimsSet().getIssueTime().getTime())
        .isEqualTo(600_000L);
  }
}
