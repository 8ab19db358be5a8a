package dev.openwif.server.http;

import io.helidon.common.uri.UriPath;
import io.helidon.http.Method;
import io.helidon.http.PathMatcher;
import io.helidon.http.PathMatchers;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Registers routes on the server's routing and remembers them, so that a request no route took can
 * be answered from the same list: the methods served at its path ({@code 405} with {@code Allow}),
 * or none ({@code 404}). Each route is registered with the very {@link PathMatcher} this table
 * matches with, so the two never disagree. {@link #under(String)} gives a view that prefixes every
 * path and shares the list. Filled while the routing is built, read by request threads afterwards;
 * thread-safe.
 */
public final class RouteTable {
  /** A registered route: its method and its path pattern (Helidon syntax, e.g. {@code {id}}). */
  public record Route(Method method, String path) {}

  /** How {@link RequestObserver} and the access log name a request that no route took. */
  public static final String UNMATCHED = "unmatched";

  private record Entry(Route route, PathMatcher matcher) {}

  private final HttpRouting.Builder routing;
  private final String prefix;
  private final List<Entry> entries;
  private final RequestObserver observer;

  public RouteTable(HttpRouting.Builder routing) {
    this(routing, RequestObserver.NONE);
  }

  /**
   * A table whose every route, fallbacks and {@link #observed} handlers included, reports its
   * answers to {@code observer} and to the {@link RequestLog}.
   */
  public RouteTable(HttpRouting.Builder routing, RequestObserver observer) {
    this(routing, "", new CopyOnWriteArrayList<>(), observer);
  }

  private RouteTable(
      HttpRouting.Builder routing, String prefix, List<Entry> entries, RequestObserver observer) {
    this.routing = Objects.requireNonNull(routing, "routing");
    this.prefix = prefix;
    this.entries = entries;
    this.observer = Objects.requireNonNull(observer, "observer");
  }

  /** A view registering under {@code prefix} (no trailing slash) into the same routing and list. */
  public RouteTable under(String prefix) {
    return new RouteTable(routing, this.prefix + prefix, entries, observer);
  }

  /**
   * {@code handler}, reporting its answers under {@code method} and {@code route} (a pattern or
   * {@link #UNMATCHED}, never a request's path) like the routes of this table; for handlers
   * registered on the routing directly.
   */
  public Handler observed(String method, String route, Handler handler) {
    return new ObservedHandler(handler, route, observer.route(method, route));
  }

  /** Registers {@code handler} for {@code method} on the prefix followed by {@code path}. */
  public RouteTable route(Method method, String path, Handler handler) {
    String full = prefix + path;
    PathMatcher matcher = PathMatchers.create(full);
    routing.route(method, matcher, observed(method.text(), full, handler));
    entries.add(new Entry(new Route(method, full), matcher));
    return this;
  }

  public RouteTable get(String path, Handler handler) {
    return route(Method.GET, path, handler);
  }

  public RouteTable post(String path, Handler handler) {
    return route(Method.POST, path, handler);
  }

  public RouteTable delete(String path, Handler handler) {
    return route(Method.DELETE, path, handler);
  }

  /**
   * Registers a fallback for every method on the prefix followed by {@code path}. Not remembered: a
   * fallback serves no path of its own, so it never shows in {@link #allowed} or {@link #routes}.
   */
  public RouteTable fallback(String path, Handler handler) {
    routing.any(prefix + path, observed("*", prefix + path, handler));
    return this;
  }

  /** Every route registered so far, in registration order (full paths). */
  public List<Route> routes() {
    return entries.stream().map(Entry::route).toList();
  }

  /**
   * The methods some route serves at {@code path}, sorted by name without duplicates; empty when no
   * route has this path.
   */
  public List<String> allowed(UriPath path) {
    TreeSet<String> methods = new TreeSet<>();
    for (Entry entry : entries) {
      if (entry.matcher().match(path).accepted()) {
        methods.add(entry.route().method().text());
      }
    }
    return List.copyOf(methods);
  }
}
