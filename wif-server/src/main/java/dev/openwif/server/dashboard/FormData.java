package dev.openwif.server.dashboard;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A submitted {@code application/x-www-form-urlencoded} form: every name with its values in the
 * order sent (repeated names are kept, for rows of inputs). Immutable.
 */
public final class FormData {
  private final Map<String, List<String>> values;

  private FormData(Map<String, List<String>> values) {
    this.values = values;
  }

  /** Parses a form body; a malformed escape is an {@link IllegalArgumentException}. */
  public static FormData parse(String body) {
    Map<String, List<String>> values = new LinkedHashMap<>();
    if (!body.isEmpty()) {
      for (String pair : body.split("&", -1)) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        values.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
      }
    }
    return new FormData(values);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  /** The first value of {@code name}. */
  public Optional<String> first(String name) {
    List<String> list = values.get(name);
    return list == null || list.isEmpty() ? Optional.empty() : Optional.of(list.get(0));
  }

  /** The first value of {@code name}, or the empty string. */
  public String text(String name) {
    return first(name).orElse("");
  }

  /** Every value of {@code name}, in the order sent (empty when absent). */
  public List<String> all(String name) {
    return List.copyOf(values.getOrDefault(name, List.of()));
  }

  /** Whether a checkbox named {@code name} was ticked (sent with any value). */
  public boolean checked(String name) {
    return values.containsKey(name);
  }
}
