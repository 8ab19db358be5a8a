/**
 * Attribute transformations: CEL expressions over {@code assertion} (the subject token's claims),
 * compiled once when a provider is saved or the in-memory snapshot is built, evaluated per
 * exchange. Each result becomes the attribute {@code openai.<name>} that federation rules can
 * match.
 */
@NullMarked
package dev.openwif.attribute;

import org.jspecify.annotations.NullMarked;
