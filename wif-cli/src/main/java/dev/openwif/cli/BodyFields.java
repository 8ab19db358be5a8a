package dev.openwif.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openwif.cli.admin.RequestBody;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The fields of a create or update body, as options over an optional {@code -f} body (a picocli
 * mixin): the subclass declares the field options and sets them over the body.
 */
abstract class BodyFields {
  @Option(
      names = "-f",
      paramLabel = "FILE",
      description = "Take the body from this JSON or YAML file (options override its fields).")
  Optional<Path> file = Optional.empty();

  /** Sets each field option given over {@code body}. */
  abstract void setOver(ObjectNode body);

  /** The body: the {@code -f} object with each given option set over it. */
  final ObjectNode body() {
    ObjectNode body = RequestBody.from(file);
    setOver(body);
    return body;
  }

  /** The body of a create. */
  ObjectNode forCreate() {
    return body();
  }

  /** The body of an update: refused when it would change nothing. */
  ObjectNode forUpdate() {
    ObjectNode body = body();
    if (body.isEmpty()) {
      throw new IllegalArgumentException(nothingToChange());
    }
    return body;
  }

  /** The error of an update that changes nothing. */
  String nothingToChange() {
    return "nothing to change: give a field option or -f FILE";
  }

  /** {@code body}, refused when it has no name. */
  static ObjectNode named(ObjectNode body) {
    if (!body.has("name")) {
      throw new IllegalArgumentException("give --name NAME (or a name in the -f file)");
    }
    return body;
  }
}
