package dev.openwif.cli.apply;

/**
 * The server refused one change of a plan being applied; the message names the change, and the
 * file, line and field when the refusal is about a field the file sets.
 */
public final class ChangeRefusedException extends ConfigFileException {
  private static final long serialVersionUID = 1L;

  public ChangeRefusedException(String message) {
    super(message);
  }
}
