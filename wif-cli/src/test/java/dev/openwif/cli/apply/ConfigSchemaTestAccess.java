package dev.openwif.cli.apply;

import java.util.List;

/** Lets tests in other packages check a document against the published schema. */
public final class ConfigSchemaTestAccess {
  private ConfigSchemaTestAccess() {}

  /** The schema's complaints about {@code yaml} (empty when valid). */
  public static List<String> errors(String yaml) throws Exception {
    return ConfigSchemaTest.errors(yaml);
  }
}
