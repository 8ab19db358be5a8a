package dev.openwif.cli.apply;

import java.util.Optional;

/**
 * How the server remembers that {@code wif apply} manages a provider or a rule: the object's {@code
 * description} ends with {@value #MARK}. The admin API has no other free field on these objects,
 * and a mark a reader sees in the dashboard says where the object's truth lives (changes made there
 * are undone by the next apply). Projects and service accounts have no description: they are never
 * marked, so {@code --prune} never deletes them. Stateless.
 */
public final class ManagedMark {
  /** The text that ends a managed object's description. */
  public static final String MARK = "(managed by wif apply)";

  private ManagedMark() {}

  /** The description to store: {@code description} followed by the mark when {@code managed}. */
  public static Optional<String> stored(Optional<String> description, boolean managed) {
    if (!managed) {
      return description;
    }
    return Optional.of(description.map(d -> d + " " + MARK).orElse(MARK));
  }

  /** Whether a stored description carries the mark. */
  public static boolean marked(Optional<String> stored) {
    return stored.filter(d -> d.endsWith(MARK)).isPresent();
  }

  /** A stored description without the mark (empty when the mark was all of it). */
  public static Optional<String> withoutMark(Optional<String> stored) {
    if (!marked(stored)) {
      return stored;
    }
    String text = stored.orElseThrow();
    String rest = text.substring(0, text.length() - MARK.length()).stripTrailing();
    return rest.isEmpty() ? Optional.empty() : Optional.of(rest);
  }
}
