package dev.openwif.server.http;

/**
 * Told about every answered request, by route: the port through which the routes report to metrics
 * without knowing them. {@link #route} is called once per route while the routing is built, so a
 * request costs one call of the returned {@link Answered}, nothing looked up. Implementations are
 * thread-safe; {@link Answered#answered} must not block and must not throw.
 */
@FunctionalInterface
public interface RequestObserver {
  /** Observes nothing. */
  RequestObserver NONE = (method, route) -> (status, nanos) -> {};

  /**
   * The recorder of one route's answers, asked once when the route is registered.
   *
   * @param method the route's method, or {@code *} for a fallback serving every method
   * @param route the route's path pattern (Helidon syntax, for example {@code /v1/models/{id}}), or
   *     {@link RouteTable#UNMATCHED}: never a request's own path, so the set stays bounded
   */
  Answered route(String method, String route);

  /** One route's answers. */
  @FunctionalInterface
  interface Answered {
    /**
     * Records one answer.
     *
     * @param status the HTTP status sent
     * @param nanos from the request reaching the route to the answer's end
     */
    void answered(int status, long nanos);
  }
}
