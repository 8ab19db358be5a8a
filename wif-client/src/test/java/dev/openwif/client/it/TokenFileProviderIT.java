package dev.openwif.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openwif.client.TokenExchangeRejectedException;
import dev.openwif.client.WorkloadIdentityCredentials;
import dev.openwif.client.provider.TokenFileProvider;
import dev.openwif.testkit.TestIssuer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end over real HTTP: a projected Kubernetes token file, rotated in place between exchanges
 * (as the kubelet does, by atomic rename), is re-read for every exchange with an in-process OpenWIF
 * server.
 */
class TokenFileProviderIT {
  private static final String AUDIENCE = "https://api.openai.com/v1";
  private static final String SUBJECT = "system:serviceaccount:default:openai-wif";
  @TempDir Path dir;
  private TestIssuer issuer;
  private OpenWifFixture openwif;
  private OpenWifFixture.Federation federation;
  private Path tokenFile;

  @BeforeEach
  void start() throws Exception {
    issuer = TestIssuer.start();
    openwif = OpenWifFixture.start(dir);
    federation = openwif.federate(issuer.issuer(), AUDIENCE, Map.of("sub", SUBJECT));
    tokenFile = dir.resolve("token");
  }

  @AfterEach
  void stop() {
    openwif.close();
    issuer.close();
  }

  private String projectedToken(String subject) {
    Map<String, Object> claims =
        new HashMap<>(issuer.standardClaims(AUDIENCE, Duration.ofHours(1), Clock.systemUTC()));
    claims.put("sub", subject);
    return issuer.token(claims);
  }

  private void rotate(String token) throws Exception {
    Path next = dir.resolve("token.next");
    Files.writeString(next, token + "\n");
    Files.move(
        next, tokenFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void tokenWhenFileRotatedBetweenExchangesThenEachExchangeUsesTheCurrentFile() throws Exception {
    WorkloadIdentityCredentials credentials =
        WorkloadIdentityCredentials.builder()
            .identityProviderId(federation.providerId())
            .serviceAccountId(federation.serviceAccountId())
            .provider(TokenFileProvider.of(tokenFile))
            .tokenUrl(openwif.tokenUrl())
            .build();
    rotate(projectedToken(SUBJECT));
    String first = credentials.accessToken();

    rotate(projectedToken("system:serviceaccount:other:intruder"));
    credentials.invalidate();

    assertThatThrownBy(credentials::token)
        .isInstanceOfSatisfying(
            TokenExchangeRejectedException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(401); // OpenWIF answers a refused grant with 401
              assertThat(e.error()).contains("invalid_grant");
              assertThat(e.errorDescription()).isPresent();
            });

    rotate(projectedToken(SUBJECT));
    String third = credentials.accessToken();
    assertThat(first).isNotBlank();
    assertThat(third).isNotBlank().isNotEqualTo(first);
  }
}
