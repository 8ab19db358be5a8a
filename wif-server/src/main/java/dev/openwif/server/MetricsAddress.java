package dev.openwif.server;

import java.util.Objects;

/**
 * Where {@code /metrics} is served on a listener of its own ({@code --metrics-address HOST:PORT}).
 *
 * @param host the address to bind
 * @param port the port to bind, 0 for any free port
 */
public record MetricsAddress(String host, int port) {
  public MetricsAddress {
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("the metrics host must not be blank");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("the metrics port must be between 0 and 65535: " + port);
    }
  }

  /**
   * Parses {@code HOST:PORT} ({@code [v6]:PORT} for an IPv6 address).
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static MetricsAddress parse(String value) {
    Objects.requireNonNull(value, "value");
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new IllegalArgumentException(
          "--metrics-address must be HOST:PORT, for example 127.0.0.1:9464, was: " + value);
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--metrics-address: the port must be a number, was: " + value.substring(colon + 1), e);
    }
    return new MetricsAddress(host, port);
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
