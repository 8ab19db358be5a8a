package dev.openwif.cli.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.Objects;

/**
 * How the demo talks: numbered step headings, indented lines and JSON blocks sized for an 80-column
 * terminal, and {@link #check} which turns any deviation from the guide into a {@link DemoFailure}.
 * Not thread-safe (one demo, one thread).
 */
final class DemoConsole {
  static final int WIDTH = 80;
  private static final String INDENT = "    ";
  private static final int TOKEN_PREFIX = 12;
  private static final int LABEL = 15;

  private final PrintWriter out;
  private final ObjectMapper json;

  DemoConsole(PrintWriter out, ObjectMapper json) {
    this.out = Objects.requireNonNull(out, "out");
    this.json = Objects.requireNonNull(json, "json");
  }

  /** {@code == title ===...} padded to the terminal width. */
  void section(String title) {
    String head = "== " + title + " ";
    out.println();
    out.println(head + "=".repeat(Math.max(3, WIDTH - head.length())));
  }

  /** {@code [n] what the step does}. */
  void step(String number, String title) {
    out.println();
    out.println("[" + number + "] " + title);
  }

  void line(String text) {
    out.println(INDENT + text);
  }

  /**
   * {@code label value}, the value wrapped at spaces (or cut when a word is too long) so that no
   * line is wider than {@link #WIDTH}; continuation lines align under the value.
   */
  void field(String label, String value) {
    String head = INDENT + String.format("%-" + LABEL + "s", label);
    int room = WIDTH - head.length();
    String rest = value;
    String prefix = head;
    while (rest.length() > room) {
      int cut = rest.lastIndexOf(' ', room);
      int end = cut > 0 ? cut : room;
      out.println(prefix + rest.substring(0, end));
      rest = rest.substring(end).stripLeading();
      prefix = " ".repeat(head.length());
    }
    out.println(prefix + rest);
  }

  /** {@code ok text}: a check that passed. */
  void ok(String text) {
    out.println(INDENT + "ok  " + text);
  }

  /** Pretty JSON, indented under the current step. */
  void json(JsonNode node) {
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter()
            .withSeparators(
                Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
    try {
      for (String row : json.writer(printer).writeValueAsString(node).lines().toList()) {
        out.println(INDENT + row);
      }
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed JSON tree could not be written back", e);
    }
  }

  void blank() {
    out.println();
  }

  /** Fails the demo with {@code whatWasExpected} unless {@code condition} holds. */
  void check(boolean condition, String whatWasExpected) {
    if (!condition) {
      throw new DemoFailure(whatWasExpected);
    }
  }

  /** The first characters of a secret followed by an ellipsis; never the whole value. */
  static String prefix(String secret) {
    return secret.length() <= TOKEN_PREFIX ? "…" : secret.substring(0, TOKEN_PREFIX) + "…";
  }
}
