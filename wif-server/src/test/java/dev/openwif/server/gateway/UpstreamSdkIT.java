package dev.openwif.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.core.http.StreamResponse;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import dev.openwif.server.sts.Federation;
import dev.openwif.server.sts.LiveServer;
import dev.openwif.testkit.TestIssuer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official {@code openai-java} SDK with workload identity through a real server to the
 * project's {@link ScriptedUpstream}, for what the third-party mock ({@link MockLlmIT}) does not
 * serve: Responses streaming and a file upload.
 */
class UpstreamSdkIT {
  private static final String UPSTREAM_KEY = "sk-upstream-sdk-it-0123456789";
  private static final int UPLOAD_BYTES = 20 * 1024 * 1024;

  @TempDir static Path dir;
  @TempDir static Path files;
  static ScriptedUpstream upstream;
  static TestIssuer issuer;
  static LiveServer server;
  static WorkloadSdk sdk;

  @BeforeAll
  static void start() {
    upstream = new ScriptedUpstream();
    issuer = TestIssuer.start();
    server =
        LiveServer.start(
            LiveServer.config(dir)
                .withUpstream(
                    GatewayUpstream.proxyingTo(UpstreamTarget.parse(upstream.url()))
                        .withApiKey(UPSTREAM_KEY)));
    sdk = new WorkloadSdk(server, Federation.uploaded(server, issuer, Federation.allScopes()));
  }

  @AfterAll
  static void stop() {
    sdk.close();
    server.close();
    issuer.close();
    upstream.close();
  }

  @Test
  void responsesStreamWhenUpstreamSendsADeltaEvery200msThenTheyArriveAsSent() {
    // the exchange, the connection and the JIT, before timing
    sdk.client()
        .responses()
        .create(ResponseCreateParams.builder().model("gpt-4.1-mini").input("warm").build());
    List<String> deltas = new ArrayList<>();
    List<Long> arrivals = new ArrayList<>();
    long start = System.nanoTime();
    try (StreamResponse<ResponseStreamEvent> stream =
        sdk.client()
            .responses()
            .createStreaming(
                ResponseCreateParams.builder().model("gpt-4.1-mini").input("stream").build())) {
      stream.stream()
          .forEach(
              event ->
                  event
                      .outputTextDelta()
                      .ifPresent(
                          delta -> {
                            arrivals.add((System.nanoTime() - start) / 1_000_000);
                            deltas.add(delta.delta());
                          }));
    }

    assertThat(String.join("", deltas)).isEqualTo(ScriptedUpstream.RESPONSE_TEXT);
    // The 300 ms bound of issue 9 is held with a plain HTTP client by UpstreamProxyIT; through the
    // SDK (its request building, its SSE parser) on a loaded 2-core machine the bound here is that
    // the first delta arrives long before the upstream sent the last one (at 800 ms).
    assertThat(arrivals.getFirst())
        .as("ms to the first delta, arrivals %s", arrivals)
        .isLessThan(600);
    assertThat(arrivals.getLast() - arrivals.getFirst())
        .as("ms between the first and the last delta, arrivals %s", arrivals)
        .isGreaterThanOrEqualTo(400);
    assertThat(upstream.last().headers().get("authorization"))
        .containsExactly("Bearer " + UPSTREAM_KEY);
  }

  @Test
  void filesCreateWhen20MbUploadThenTheUpstreamGetsEveryByteAndOnlyTheUpstreamKey()
      throws Exception {
    byte[] content = new byte[UPLOAD_BYTES];
    new Random(20).nextBytes(content);
    Path file = Files.write(files.resolve("training.jsonl"), content);

    FileObject created =
        sdk.client()
            .files()
            .create(FileCreateParams.builder().file(file).purpose(FilePurpose.ASSISTANTS).build());

    ScriptedUpstream.Upload upload = upstream.lastUpload();
    assertThat(upload).isNotNull();
    assertThat(upload.bytes()).isEqualTo(UPLOAD_BYTES);
    assertThat(upload.sha256()).isEqualTo(Multipart.sha256(content));
    assertThat(upload.filename()).isEqualTo("training.jsonl");
    assertThat(upload.purpose()).isEqualTo("assistants");
    assertThat(created.bytes()).isEqualTo(UPLOAD_BYTES);
    ScriptedUpstream.Received received = upstream.last();
    assertThat(received.uri()).isEqualTo("/v1/files");
    assertThat(received.headers().get("authorization")).containsExactly("Bearer " + UPSTREAM_KEY);
    assertThat(sdk.accessTokensSent()).isNotEmpty();
    for (String accessToken : sdk.accessTokensSent()) {
      assertThat(received.headers().toString()).doesNotContain(accessToken);
    }
  }
}
