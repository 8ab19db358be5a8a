package dev.openwif.cli.apply;

/**
 * A configuration file that cannot be used, in one line: {@code FILE:LINE: field FIELD: what is
 * wrong} (the line and field when one is at fault).
 */
public class ConfigFileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigFileException(String message) {
    super(message);
  }
}
