package dev.openwif.server.gateway;

import java.util.List;
import java.util.Objects;

/**
 * A model name pattern of {@code --upstream-route}: {@code *} stands for any run of characters
 * (none included, {@code /} included), every other character stands for itself, case-sensitively.
 * {@code gpt-*} matches {@code gpt-4.1-mini}; {@code *} matches every model; {@code
 * meta-llama/*-Instruct} matches {@code meta-llama/Llama-3.1-8B-Instruct}. Immutable.
 *
 * @param text the pattern as given
 */
public record ModelGlob(String text) {
  public ModelGlob {
    Objects.requireNonNull(text, "text");
    if (text.isEmpty()) {
      throw new IllegalArgumentException("the model pattern is empty");
    }
    if (!text.chars().allMatch(c -> c > 0x20 && c != 0x7f && c != '=')) {
      throw new IllegalArgumentException(
          "the model pattern must have no spaces, control characters or '='");
    }
  }

  /** Whether {@code model} matches the whole pattern. */
  public boolean matches(String model) {
    List<String> parts = List.of(text.split("\\*", -1));
    if (parts.size() == 1) {
      return model.equals(text);
    }
    String first = parts.getFirst();
    String last = parts.getLast();
    if (model.length() < first.length() + last.length()
        || !model.startsWith(first)
        || !model.endsWith(last)) {
      return false;
    }
    int from = first.length();
    int until = model.length() - last.length();
    for (String middle : parts.subList(1, parts.size() - 1)) {
      int at = model.indexOf(middle, from);
      if (at < 0 || at + middle.length() > until) {
        return false;
      }
      from = at + middle.length();
    }
    return true;
  }

  @Override
  public String toString() {
    return text;
  }
}
