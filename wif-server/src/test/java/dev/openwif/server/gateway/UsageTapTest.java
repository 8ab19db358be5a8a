package dev.openwif.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UsageTapTest {
  private static byte[] sample(String name) {
    try (InputStream in = UsageTapTest.class.getResourceAsStream("/usage/" + name)) {
      if (in == null) {
        throw new IllegalStateException("no sample " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String typeOf(String name) {
    return name.endsWith(".sse") ? "text/event-stream; charset=utf-8" : "application/json";
  }

  /** The sample fed in two pieces split at {@code at}. */
  private static UsageTap.Usage split(String name, int at) {
    byte[] body = sample(name);
    UsageTap tap = UsageTap.forContentType(Optional.of(typeOf(name)));
    int cut = Math.min(at, body.length);
    byte[] chunk = body.clone(); // the relay reuses its buffer: scribble over what was fed
    tap.accept(chunk, 0, cut);
    java.util.Arrays.fill(chunk, 0, cut, (byte) 'x');
    tap.accept(chunk, cut, body.length - cut);
    tap.end();
    return tap.usage();
  }

  private static UsageTap.Usage byteByByte(String name) {
    byte[] body = sample(name);
    UsageTap tap = UsageTap.forContentType(Optional.of(typeOf(name)));
    byte[] one = new byte[3];
    for (byte b : body) {
      one[1] = b;
      tap.accept(one, 1, 1);
    }
    tap.end();
    return tap.usage();
  }

  @ParameterizedTest
  @CsvSource({
    "chat-completion.json, gpt-4.1-2025-04-14, 19, 10",
    "response.json, gpt-4.1-2025-04-14, 36, 87",
    "embeddings.json, text-embedding-3-small, 5, 0",
    "response-stream.sse, gpt-4.1-2025-04-14, 37, 11",
    "chat-stream.sse, gpt-4o-mini-2024-07-18, 9, 2"
  })
  void usageWhenRealSampleSplitAtEveryByteThenSameModelAndTokens(
      String name, String model, long input, long output) {
    UsageTap.Usage expected = new UsageTap.Usage(Optional.of(model), input, output, true);
    int length = sample(name).length;
    for (int at = 0; at <= length; at++) {
      assertThat(split(name, at)).as("split at %d", at).isEqualTo(expected);
    }
    assertThat(byteByByte(name)).isEqualTo(expected);
  }

  @Property(tries = 200)
  void usageWhenSampleCutIntoRandomPiecesThenSameAsWhole(
      @ForAll @IntRange(min = 1, max = 64) int piece,
      @ForAll @IntRange(min = 0, max = 4) int which) {
    String name =
        new String[] {
              "chat-completion.json",
              "response.json",
              "embeddings.json",
              "response-stream.sse",
              "chat-stream.sse"
            }
            [which];
    byte[] body = sample(name);
    UsageTap tap = UsageTap.forContentType(Optional.of(typeOf(name)));
    for (int off = 0; off < body.length; off += piece) {
      tap.accept(body, off, Math.min(piece, body.length - off));
    }
    tap.end();
    assertThat(tap.usage()).isEqualTo(split(name, 0));
  }

  @Test
  void usageWhenErrorBodyThenNoneReported() {
    byte[] body =
        "{\"error\":{\"message\":\"The model `x` does not exist\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"model_not_found\"}}"
            .getBytes(StandardCharsets.UTF_8);
    UsageTap tap = UsageTap.forContentType(Optional.of("application/json"));
    tap.accept(body, 0, body.length);
    tap.end();
    assertThat(tap.usage()).isEqualTo(UsageTap.Usage.NONE);
  }

  @Test
  void usageWhenMalformedOrOtherTypeThenWhatWasSeenOrNothing() {
    byte[] body =
        "{\"model\":\"m\",\"usage\":{\"input_tokens\":3,".getBytes(StandardCharsets.UTF_8);
    UsageTap cut = UsageTap.forContentType(Optional.of("application/json"));
    cut.accept(body, 0, body.length);
    cut.end();
    assertThat(cut.usage().model()).contains("m");
    assertThat(cut.usage().reported()).isFalse();

    UsageTap garbage = UsageTap.forContentType(Optional.of("application/json"));
    byte[] junk = "]]]}{not json".getBytes(StandardCharsets.UTF_8);
    garbage.accept(junk, 0, junk.length);
    garbage.accept(body, 0, body.length);
    garbage.end();
    assertThat(garbage.usage()).isEqualTo(UsageTap.Usage.NONE);

    assertThat(UsageTap.forContentType(Optional.of("audio/mpeg"))).isSameAs(UsageTap.NONE);
    assertThat(UsageTap.forContentType(Optional.empty())).isSameAs(UsageTap.NONE);
  }

  @Test
  void usageWhenSseLineLongerThanTheCapThenSkippedAndLaterEventsStillRead() {
    UsageTap tap = UsageTap.forContentType(Optional.of("text/event-stream"));
    byte[] head = "data: {\"usage\":{\"input_tokens\":1,\"x\":\"".getBytes(StandardCharsets.UTF_8);
    tap.accept(head, 0, head.length);
    byte[] filler = new byte[64 * 1024];
    java.util.Arrays.fill(filler, (byte) 'a');
    for (int i = 0; i < (SseUsageReader.MAX_LINE / filler.length) + 2; i++) {
      tap.accept(filler, 0, filler.length);
    }
    byte[] rest =
        "\"}}\n\ndata: {\"model\":\"m\",\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":6}}\n\n"
            .getBytes(StandardCharsets.UTF_8);
    tap.accept(rest, 0, rest.length);
    tap.end();
    assertThat(tap.usage()).isEqualTo(new UsageTap.Usage(Optional.of("m"), 4, 6, true));
  }

  @Test
  void usageWhenStreamCutBeforeTheFinalEventThenNoUsage() {
    byte[] body = sample("chat-stream.sse");
    String text = new String(body, StandardCharsets.UTF_8);
    int last = text.indexOf("\"usage\":{");
    UsageTap tap = UsageTap.forContentType(Optional.of("text/event-stream"));
    tap.accept(body, 0, last);
    tap.end();
    assertThat(tap.usage())
        .isEqualTo(new UsageTap.Usage(Optional.of("gpt-4o-mini-2024-07-18"), 0, 0, false));
  }
}
