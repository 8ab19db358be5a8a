package dev.openwif.server.gateway;

import java.util.Objects;

/**
 * The built-in offline demo model behind {@code POST /v1/responses}: a DEMO, not a language model.
 * It answers deterministically {@code Hello from OpenWIF (demo model): you said "<input>"} so the
 * whole path (exchange, bearer token, scopes, the SDK's strict response validation) can be
 * exercised with no network and no upstream provider. Any requested model name is accepted and
 * echoed back ({@code gpt-4.1-mini} works as well as {@link #ID}). Token counts are
 * whitespace-separated words, stable for tests. Stateless and thread-safe.
 */
final class DemoModel {
  /** The id listed by {@code GET /v1/models}. */
  static final String ID = "openwif-demo-1";

  /** When the demo model was "created" (Unix seconds), a fixed value so listings are stable. */
  static final long CREATED = 1767225600L; // 2026-01-01T00:00:00Z

  static final String OWNED_BY = "openwif";

  private static final int MAX_ECHO = 2000;

  /** The reply to {@code input} with input and output word counts. */
  Reply reply(String input) {
    Objects.requireNonNull(input, "input");
    String echoed = input.length() <= MAX_ECHO ? input : input.substring(0, MAX_ECHO) + "...";
    String text = "Hello from OpenWIF (demo model): you said \"" + echoed + "\"";
    return new Reply(text, words(input), words(text));
  }

  private static int words(String text) {
    String trimmed = text.strip();
    return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
  }

  record Reply(String text, int inputTokens, int outputTokens) {}
}
