package dev.openwif.server.sts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Fuzzing {@link TokenRequestParser}: whatever bytes and content type arrive (up to the endpoint's
 * 64 KiB body cap), it answers {@link TokenRequest.Parsed} or {@link TokenRequest.Malformed} —
 * never an exception — within a bounded time.
 */
class TokenRequestParserPropertiesTest {
  private static final Duration BOUND = Duration.ofMillis(250);
  private final TokenRequestParser parser = new TokenRequestParser();

  @Property(tries = 400)
  void parseWhenArbitraryBytesThenTypedAnswerQuickly(
      @ForAll("contentTypes") String contentType, @ForAll @Size(max = 2048) byte[] body) {
    assertTypedAndQuick(contentType, body);
  }

  @Property(tries = 400)
  void parseWhenJsonLikeTextThenTypedAnswerQuickly(@ForAll("jsonLike") String body) {
    assertTypedAndQuick("application/json", body.getBytes(StandardCharsets.UTF_8));
  }

  @Property(tries = 400)
  void parseWhenFormLikeTextThenTypedAnswerQuickly(@ForAll("formLike") String body) {
    assertTypedAndQuick(
        "application/x-www-form-urlencoded; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
  }

  @Property(tries = 60)
  void parseWhenHugeNestingOrLongLiteralsThenTypedAnswerQuickly(
      @ForAll("hostileJson") String body) {
    assertTypedAndQuick("application/json", body.getBytes(StandardCharsets.UTF_8));
  }

  private void assertTypedAndQuick(String contentType, byte[] body) {
    long started = System.nanoTime();
    TokenRequest parsed = parser.parse(Optional.of(contentType), body, Optional.of("127.0.0.1"));
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(parsed).isNotNull();
    if (parsed instanceof TokenRequest.Malformed malformed) {
      assertThat(malformed.problem()).isNotBlank().hasSizeLessThan(300);
    }
    // The least of three timings: a slow input is slow every time, a busy machine's pause is not.
    for (int i = 0; i < 2 && took.compareTo(BOUND) >= 0; i++) {
      long again = System.nanoTime();
      TokenRequest unused = parser.parse(Optional.of(contentType), body, Optional.of("127.0.0.1"));
      Duration retook = Duration.ofNanos(System.nanoTime() - again);
      took = retook.compareTo(took) < 0 ? retook : took;
    }
    assertThat(took).as("parse time").isLessThan(BOUND);
  }

  @Provide
  Arbitrary<String> contentTypes() {
    return Arbitraries.oneOf(
        Arbitraries.of(
            "application/json",
            "application/x-www-form-urlencoded",
            "APPLICATION/JSON; charset=utf-8",
            "text/plain",
            "",
            ";",
            "application/json;;;"),
        Arbitraries.strings().ofMaxLength(60));
  }

  @Provide
  Arbitrary<String> jsonLike() {
    Arbitrary<String> names =
        Arbitraries.of(
            "grant_type",
            "subject_token",
            "subject_token_type",
            "identity_provider_id",
            "service_account_id",
            "client_id",
            "x",
            "");
    Arbitrary<String> values =
        Arbitraries.oneOf(
            Arbitraries.strings()
                .withChars("\"\\{}[]:,0123456789eE+-.truefalsn abc\u00e9\ud83d\ude00")
                .ofMaxLength(40)
                .map(s -> "\"" + s + "\""),
            Arbitraries.of(
                "null",
                "true",
                "1e999999999",
                "-0",
                "[]",
                "{}",
                "[1,[2]]",
                "\"\\ud800\"",
                "1.5e-400"),
            Arbitraries.strings().withChars("{}[]\":,\\").ofMaxLength(30));
    Arbitrary<String> member =
        Combinators.combine(names, values).as((n, v) -> "\"" + n + "\":" + v);
    return member
        .list()
        .ofMaxSize(8)
        .map(list -> "{" + String.join(",", list) + "}")
        .injectDuplicates(0.1)
        .edgeCases(edges -> edges.add("{\"grant_type\":\"a\",\"grant_type\":\"b\"}"));
  }

  @Provide
  Arbitrary<String> formLike() {
    Arbitrary<String> token =
        Arbitraries.strings().withChars("abc=&%+0123456789ABCDEF_.-\u00e9").ofMaxLength(30);
    return token.list().ofMaxSize(10).map(parts -> String.join("&", parts));
  }

  @Provide
  Arbitrary<String> hostileJson() {
    return Arbitraries.integers()
        .between(1, 30_000)
        .flatMap(
            n ->
                Arbitraries.of(
                    "[".repeat(n),
                    "{\"a\":".repeat(Math.min(n, 10_000)),
                    "{\"subject_token\":\"" + "a".repeat(n) + "\"}",
                    "{\"x\":" + "9".repeat(n) + "}",
                    "{\"x\":1e" + "9".repeat(Math.min(n, 5000)) + "}",
                    "{\"a\":1}" + " ".repeat(n)));
  }
}
