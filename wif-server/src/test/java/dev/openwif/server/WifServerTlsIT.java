package dev.openwif.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.openai.auth.SubjectTokenProvider;
import com.openai.auth.SubjectTokenType;
import com.openai.auth.WorkloadIdentity;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import dev.openwif.server.sts.Federation;
import dev.openwif.server.sts.LiveServer;
import dev.openwif.server.tls.TlsFiles;
import dev.openwif.testkit.OpenSsl;
import dev.openwif.testkit.TestIssuer;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's own TLS with certificates made by the real {@code openssl}: HTTPS only, the allowed
 * protocols and suites as {@code openssl s_client} sees them, and a certificate replaced on disk
 * served without a restart.
 */
class WifServerTlsIT {
  @TempDir Path dir;

  /** Subject tokens from the test issuer, as a workload's platform would supply them. */
  record IssuerTokens(Federation federation) implements SubjectTokenProvider {
    @Override
    public SubjectTokenType tokenType() {
      return SubjectTokenType.JWT;
    }

    @Override
    public String getToken(com.openai.core.http.HttpClient httpClient, JsonMapper jsonMapper) {
      return federation.subjectToken(Clock.systemUTC());
    }

    @Override
    public CompletableFuture<String> getTokenAsync(
        com.openai.core.http.HttpClient httpClient, JsonMapper jsonMapper) {
      return CompletableFuture.completedFuture(getToken(httpClient, jsonMapper));
    }
  }

  private TlsFiles live(OpenSsl.Pair pair) throws Exception {
    Path cert = dir.resolve("live.crt");
    Path key = dir.resolve("live.key");
    Files.copy(pair.certificate(), cert, StandardCopyOption.REPLACE_EXISTING);
    Files.copy(pair.key(), key, StandardCopyOption.REPLACE_EXISTING);
    return new TlsFiles(cert, key);
  }

  private ServerConfig config(TlsFiles files) {
    return LiveServer.config(dir).withTls(files);
  }

  static X509TrustManager trusting(Path certificate) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    try (InputStream in = Files.newInputStream(certificate)) {
      store.setCertificateEntry(
          "server", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return (X509TrustManager) factory.getTrustManagers()[0];
  }

  static SSLContext context(X509TrustManager trust) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {trust}, null);
    return context;
  }

  private static int healthz(String baseUrl, Path trustedCertificate) throws Exception {
    HttpClient client =
        HttpClient.newBuilder()
            .sslContext(context(trusting(trustedCertificate)))
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    return client
        .send(
            HttpRequest.newBuilder(URI.create(baseUrl + "/healthz"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /** The serial number of the certificate the server presents to a new connection. */
  static BigInteger servedSerial(int port) throws Exception {
    AtomicReference<X509Certificate> seen = new AtomicReference<>();
    X509TrustManager recording =
        new X509TrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("client side only");
          }

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType) {
            seen.set(chain[0]);
          }

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    try (SSLSocket socket =
        (SSLSocket) context(recording).getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(5_000);
      socket.startHandshake();
    }
    return seen.get().getSerialNumber();
  }

  private static BigInteger serialOf(Path certificate) throws Exception {
    try (InputStream in = Files.newInputStream(certificate)) {
      return ((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in))
          .getSerialNumber();
    }
  }

  @Test
  void startWhenTlsThenHttpsOnlyAndThePublicUrlIsHttps() throws Exception {
    OpenSsl.Pair pair = OpenSsl.selfSignedRsa(dir, "server");
    try (WifServer server = WifServer.start(config(live(pair)))) {
      assertThat(server.baseUrl()).isEqualTo("https://127.0.0.1:" + server.port());
      assertThat(healthz(server.baseUrl(), pair.certificate())).isEqualTo(200);

      assertThatThrownBy(
              () ->
                  HttpClient.newHttpClient()
                      .send(
                          HttpRequest.newBuilder(
                                  URI.create("http://127.0.0.1:" + server.port() + "/healthz"))
                              .timeout(Duration.ofSeconds(10))
                              .build(),
                          HttpResponse.BodyHandlers.discarding()))
          .as("plain HTTP is not answered")
          .isInstanceOf(java.io.IOException.class);
    }
  }

  @Test
  void handshakeWhenOldProtocolOrSuiteThenRefusedAndModernOnesAccepted() throws Exception {
    OpenSsl.Pair pair = OpenSsl.selfSignedRsa(dir, "server");
    try (WifServer server = WifServer.start(config(live(pair)))) {
      String connect = "127.0.0.1:" + server.port();

      String tls11 =
          OpenSsl.runIgnoringStatus(
              "s_client", "-connect", connect, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");
      String cbc =
          OpenSsl.runIgnoringStatus(
              "s_client", "-connect", connect, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA256");
      String tls12 =
          OpenSsl.run(
              "s_client", "-connect", connect, "-tls1_2", "-CAfile", pair.certificate().toString());
      String tls13 =
          OpenSsl.run(
              "s_client", "-connect", connect, "-tls1_3", "-CAfile", pair.certificate().toString());

      assertThat(tls11)
          .as("the server answers TLS 1.1 with an alert")
          .contains("alert protocol version");
      assertThat(cbc)
          .as("a CBC suite is refused by the server")
          .contains("alert handshake failure");
      assertThat(tls12)
          .contains("Protocol  : TLSv1.2")
          .containsPattern(
              "Cipher    : ECDHE-RSA-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)")
          .contains("Verify return code: 0 (ok)");
      assertThat(tls13).contains("TLSv1.3").contains("Verify return code: 0 (ok)");
    }
  }

  @Test
  void filesWhenReplacedThenNewConnectionsGetTheNewCertificateWithoutRestart() throws Exception {
    OpenSsl.Pair first = OpenSsl.selfSignedRsa(dir, "first");
    OpenSsl.Pair second = OpenSsl.selfSignedRsa(dir, "second");
    TlsFiles files = live(first);
    try (WifServer server = WifServer.start(config(files))) {
      assertThat(servedSerial(server.port())).isEqualTo(serialOf(first.certificate()));

      Files.copy(second.certificate(), files.certificate(), StandardCopyOption.REPLACE_EXISTING);
      Files.copy(second.key(), files.key(), StandardCopyOption.REPLACE_EXISTING);
      BigInteger served = servedSerial(server.port());
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (!served.equals(serialOf(second.certificate())) && System.nanoTime() < deadline) {
        Thread.sleep(200);
        served = servedSerial(server.port());
      }

      assertThat(served).isEqualTo(serialOf(second.certificate()));
      assertThat(healthz(server.baseUrl(), second.certificate())).isEqualTo(200);
    }
  }

  @Test
  void filesWhenKeyReplacedByAnotherCertificatesKeyThenTheOldCertificateStaysServed()
      throws Exception {
    OpenSsl.Pair first = OpenSsl.selfSignedRsa(dir, "first");
    OpenSsl.Pair stranger = OpenSsl.selfSignedRsa(dir, "stranger");
    TlsFiles files = live(first);
    try (WifServer server = WifServer.start(config(files))) {
      Files.copy(stranger.key(), files.key(), StandardCopyOption.REPLACE_EXISTING);
      Thread.sleep(3 * WifServer.TLS_CHECK_PERIOD.toMillis());

      assertThat(servedSerial(server.port())).isEqualTo(serialOf(first.certificate()));
      assertThat(healthz(server.baseUrl(), first.certificate())).isEqualTo(200);
    }
  }

  @Test
  void startWhenKeyDoesNotMatchThenOneLineNamingTheFilesAndNothingListens() throws Exception {
    OpenSsl.Pair first = OpenSsl.selfSignedRsa(dir, "first");
    OpenSsl.Pair second = OpenSsl.selfSignedRsa(dir, "second");

    assertThatThrownBy(
            () -> WifServer.start(config(new TlsFiles(first.certificate(), second.key()))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "TLS key "
                + second.key()
                + " does not belong to the certificate in "
                + first.certificate()
                + " (its public key is another)");
  }

  @Test
  void exchangeWhenOverHttpsWithTheOpenAiSdkThenTheApiAnswers() throws Exception {
    OpenSsl.Pair pair = OpenSsl.selfSignedRsa(dir, "server");
    X509TrustManager trust = trusting(pair.certificate());
    try (LiveServer server = LiveServer.start(config(live(pair)), context(trust));
        TestIssuer issuer = TestIssuer.start()) {
      Federation federation = Federation.uploaded(server, issuer, Federation.allScopes());
      HttpUrl tokenUrl = HttpUrl.get(server.url() + "/oauth/token");
      Interceptor toOpenWif =
          chain -> {
            okhttp3.Request request = chain.request();
            if (request.url().host().equals("auth.openai.com")) {
              request = request.newBuilder().url(tokenUrl).build();
            }
            return chain.proceed(request);
          };
      OpenAIClient client =
          OpenAIOkHttpClient.builder()
              .baseUrl(server.url() + "/v1")
              .addInterceptor(toOpenWif)
              .sslSocketFactory(context(trust).getSocketFactory())
              .trustManager(trust)
              .timeout(Duration.ofSeconds(20))
              .workloadIdentity(
                  WorkloadIdentity.builder()
                      .identityProviderId(federation.providerId())
                      .serviceAccountId(federation.accountId())
                      .provider(new IssuerTokens(federation))
                      .build())
              .build();

      Response response =
          client
              .responses()
              .create(
                  ResponseCreateParams.builder().model("openwif-demo-1").input("hello").build());

      assertThat(server.url()).startsWith("https://");
      assertThat(response.model().asString()).isEqualTo("openwif-demo-1");
      assertThat(server.lastExchangeEvent().get("outcome").asText()).isEqualTo("succeeded");
    }
  }
}
