package dev.openwif.cli.admin;

/**
 * How a remote admin command prints the server's answer: {@code table} (aligned columns, for
 * people), {@code json} (the server's JSON, pretty-printed) or {@code yaml} (the same data as
 * YAML).
 */
public enum OutputFormat {
  table,
  json,
  yaml
}
