package dev.openwif.federation.admin;

import dev.openwif.federation.AdminValidationException;

/** The list cursor ({@code after}) names no object of the list: a 400 naming {@code after}. */
final class Cursors {
  private Cursors() {}

  // Throwing is this method's whole job: it is the target of ifPresent(Cursors::unknown).
  @SuppressWarnings("DoNotCallSuggester")
  static void unknown(String after) {
    throw new AdminValidationException(
        "after", "after names no object of this list: '" + after + "'.");
  }
}
