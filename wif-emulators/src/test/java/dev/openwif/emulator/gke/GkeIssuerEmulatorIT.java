package dev.openwif.emulator.gke;

import static dev.openwif.emulator.TestHttp.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.openwif.emulator.JwtVerification;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GkeIssuerEmulatorIT {
  private static final String AUDIENCE = "https://api.openai.com/v1";

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new AssertionError("cannot read " + file + ": " + e, e);
    }
  }

  @Test
  void tokenFileWhenStartedThenHoldsProjectedTokenVerifiableThroughDiscovery()
      throws ParseException {
    try (GkeIssuerEmulator cluster =
        GkeIssuerEmulator.builder()
            .namespace("default")
            .serviceAccount("openai-wif")
            .audience(AUDIENCE)
            .start()) {
      String token = read(cluster.tokenFile());

      assertThat(token).doesNotEndWith("\n").isEqualTo(cluster.currentToken().jwt());
      SignedJWT jwt = JwtVerification.verifiedThroughDiscovery(cluster.issuer(), token);
      assertThat(jwt.getHeader().getType()).isNull();
      assertThat(jwt.getHeader().getKeyID()).matches("[A-Za-z0-9_-]{43}");
      Map<String, Object> raw = JwtVerification.rawPayload(jwt);
      assertThat(raw.get("aud")).as("aud is always an array").isEqualTo(List.of(AUDIENCE));
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      assertThat(claims.getIssuer()).isEqualTo(cluster.baseUrl());
      assertThat(claims.getSubject()).isEqualTo("system:serviceaccount:default:openai-wif");
      assertThat(claims.getNotBeforeTime()).isEqualTo(claims.getIssueTime());
      assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime())
          .isEqualTo(3_600_000L);
      assertThat(claims.getJWTID()).matches("[0-9a-f-]{36}");
      Map<String, Object> kubernetes = claims.getJSONObjectClaim("kubernetes.io");
      assertThat(kubernetes).containsEntry("namespace", "default");
      assertThat(JSONObjectUtils.getJSONObject(kubernetes, "serviceaccount"))
          .containsEntry("name", "openai-wif")
          .containsEntry(
              "uid", ProjectedTokenMinter.uidOf("ServiceAccount", "default", "openai-wif"));
      assertThat(JSONObjectUtils.getJSONObject(kubernetes, "pod"))
          .containsEntry("name", "openai-wif-app")
          .containsKey("uid");
    }
  }

  @Test
  void discoveryWhenIssuerConfiguredThenNamesItAndJwksIsServed() {
    String gkeIssuer =
        "https://container.googleapis.com/v1/projects/my-project/locations/us-central1/clusters/openai-wif";
    try (GkeIssuerEmulator cluster = GkeIssuerEmulator.builder().issuer(gkeIssuer).start()) {
      String discovery = get(cluster.baseUrl() + "/.well-known/openid-configuration").body();

      assertThat(discovery)
          .contains("\"issuer\":\"" + gkeIssuer + "\"")
          .contains("\"jwks_uri\":\"" + cluster.baseUrl() + "/openid/v1/jwks\"");
      assertThat(get(cluster.baseUrl() + "/openid/v1/jwks").body()).isEqualTo(cluster.jwksJson());
      assertThat(get(cluster.baseUrl() + "/api/v1/namespaces").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void rotationWhenLifetimeFiveSecondsThenFileRewrittenAtEightyPercentAndNeverSeenPartial()
      throws Exception {
    try (GkeIssuerEmulator cluster =
        GkeIssuerEmulator.builder().expiration(Duration.ofSeconds(5)).start()) {
      Path file = cluster.tokenFile();
      String first = read(file);
      Object firstInode = Files.getAttribute(file, "unix:ino");
      long start = System.nanoTime();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger reads = new AtomicInteger();
      List<String> badReads = new ArrayList<>();
      Thread reader =
          new Thread(
              () -> {
                while (!stop.get()) {
                  String seen = readTolerantly(file);
                  reads.incrementAndGet();
                  sleepBriefly();
                  if (seen.split("\\.", -1).length != 3 || seen.endsWith(".")) {
                    synchronized (badReads) {
                      badReads.add(seen);
                    }
                  }
                }
              });
      reader.start();

      String second = waitForChange(file, first, Duration.ofSeconds(10));
      long firstRotationMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
      Object secondInode = Files.getAttribute(file, "unix:ino");
      String third = waitForChange(file, second, Duration.ofSeconds(10));
      stop.set(true);
      reader.join(5_000);

      System.out.printf("first rotation after %d ms, %d reads%n", firstRotationMillis, reads.get());
      assertThat(firstRotationMillis)
          .as("rotation at ~4.0 s (80 %% of 5 s), not at expiry")
          .isBetween(3_600L, 4_800L);
      assertThat(secondInode)
          .as("replaced by a rename, not rewritten in place")
          .isNotEqualTo(firstInode);
      assertThat(third).isNotEqualTo(first);
      assertThat(reads.get()).isGreaterThan(100);
      assertThat(badReads).as("reads that saw a partial file").isEmpty();
      JWTClaimsSet rotated =
          JwtVerification.verifiedThroughDiscovery(cluster.baseUrl(), third).getJWTClaimsSet();
      assertThat(rotated.getJWTID())
          .isNotEqualTo(SignedJWT.parse(first).getJWTClaimsSet().getJWTID());
      assertThat(rotated.getExpirationTime()).isAfter(rotated.getIssueTime());
    }
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(0, 200_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String readTolerantly(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      return "missing";
    } catch (IOException e) {
      return "unreadable: " + e;
    }
  }

  private static String waitForChange(Path file, String previous, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String current = read(file);
      if (!current.equals(previous)) {
        return current;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the token file did not change within " + timeout);
  }

  @Test
  void rotateNowWhenCalledThenFileHoldsTheNewToken() {
    try (GkeIssuerEmulator cluster = GkeIssuerEmulator.builder().start()) {
      String before = read(cluster.tokenFile());

      ProjectedToken rotated = cluster.rotateNow();

      assertThat(read(cluster.tokenFile())).isEqualTo(rotated.jwt()).isNotEqualTo(before);
    }
  }

  @Test
  void closeWhenTokenFileNotGivenThenTemporaryDirectoryRemoved() {
    GkeIssuerEmulator cluster = GkeIssuerEmulator.builder().start();
    Path dir = cluster.tokenFile().getParent();
    assertThat(dir).isDirectory();

    cluster.close();

    assertThat(dir).doesNotExist();
  }

  @Test
  void tokenFileWhenGivenThenWrittenThereAndKeptAfterClose(@TempDir Path dir) {
    Path file = dir.resolve("tokens").resolve("token");
    try (GkeIssuerEmulator cluster = GkeIssuerEmulator.builder().tokenFile(file).start()) {
      assertThat(cluster.tokenFile()).isEqualTo(file.toAbsolutePath());
    }

    assertThat(read(file)).startsWith("eyJ");
    assertThat(dir.resolve("tokens"))
        .isDirectoryNotContaining(p -> p.getFileName().toString().endsWith(".tmp"));
  }

  @Test
  void mintWhenOtherAudiencesThenArrayOfThem() throws ParseException {
    try (GkeIssuerEmulator cluster = GkeIssuerEmulator.builder().start()) {
      ProjectedToken token = cluster.mint(List.of("a", "b"), Duration.ofMinutes(10));

      JWTClaimsSet claims = SignedJWT.parse(token.jwt()).getJWTClaimsSet();
      assertThat(claims.getAudience()).containsExactly("a", "b");
      assertThat(Duration.between(token.issuedAt(), token.expiresAt()))
          .isEqualTo(Duration.ofMinutes(10));
    }
  }
}
