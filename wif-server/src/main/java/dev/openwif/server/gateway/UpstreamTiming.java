package dev.openwif.server.gateway;

/**
 * Told how long the upstream took to answer a proxied call (request sent to response headers read):
 * the port through which the proxy reports to metrics. Thread-safe, never blocks or throws.
 */
@FunctionalInterface
public interface UpstreamTiming {
  /** Records nothing. */
  UpstreamTiming NONE = nanos -> {};

  void answered(long nanos);
}
