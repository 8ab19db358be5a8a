package dev.openwif.cli.apply;

import java.util.List;
import java.util.Objects;

/**
 * What a configuration file asks for: its objects in canonical form, in the file's order, and the
 * parsed file itself (to name the line of a field in later errors). Immutable.
 */
public record DesiredState(LocatedYaml file, List<Resource> resources) {
  public DesiredState {
    Objects.requireNonNull(file, "file");
    resources = List.copyOf(resources);
  }

  /** The error for {@code field} of {@code resource}, naming the file and line. */
  public ConfigFileException error(Resource resource, String field, String message) {
    return new ConfigFileException(line(resource, field, message));
  }

  /** The text of {@link #error(Resource, String, String)}. */
  public String line(Resource resource, String field, String message) {
    String pointer = resource.pointer().orElse("");
    return file.line(field.isEmpty() ? pointer : pointer + "/" + field, message);
  }
}
