package dev.openwif.federation;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Compiles attribute transformations to check them at write time. Implemented by {@code
 * dev.openwif.attribute.CompiledTransformations#firstError}; a port so that this package does not
 * depend on the CEL package (which depends on this one). Implementations are thread-safe.
 */
@FunctionalInterface
public interface TransformationCompiler {
  /** Empty when every transformation compiles; otherwise the first that does not. */
  Optional<Failure> firstError(List<AttributeTransformation> transformations);

  /**
   * The position of the failing transformation and the compiler's message (with {@code
   * line:column}).
   */
  record Failure(int index, String message) {
    public Failure {
      Objects.requireNonNull(message, "message");
    }
  }
}
