package dev.openwif.server.http;

import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Objects;

/**
 * A route's handler that, once its answer is sent (by the handler or by an error handler after it
 * threw), tells the route's {@link RequestObserver.Answered} and writes the {@link RequestLog}
 * line. Costs a clock read and one callback per request. Thread-safe.
 */
final class ObservedHandler implements Handler {
  private final Handler handler;
  private final String route;
  private final RequestObserver.Answered observer;

  ObservedHandler(Handler handler, String route, RequestObserver.Answered observer) {
    this.handler = Objects.requireNonNull(handler, "handler");
    this.route = Objects.requireNonNull(route, "route");
    this.observer = Objects.requireNonNull(observer, "observer");
  }

  @Override
  public void handle(ServerRequest req, ServerResponse res) throws Exception {
    long start = System.nanoTime();
    String requestId = RequestIds.current();
    res.whenSent(
        () -> {
          long nanos = System.nanoTime() - start;
          int status = res.status().code();
          observer.answered(status, nanos);
          RequestLog.write(req.prologue().method().text(), route, status, nanos, requestId);
        });
    handler.handle(req, res);
  }
}
