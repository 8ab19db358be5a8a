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

  private record Entry(Route route, PathMatcher matcher) {}

  private final HttpRouting.Builder routing;
  private final String prefix;
  private final List<Entry> entries;

  public RouteTable(HttpRouting.Builder routing) {
    this(routing, "", new CopyOnWriteArrayList<>());
  }

  private RouteTable(HttpRouting.Builder routing, String prefix, List<Entry> entries) {
    this.routing = Objects.requireNonNull(routing, "routing");
    this.prefix = prefix;
    this.entries = entries;
  }

  /** A view registering under {@code prefix} (no trailing slash) into the same routing and list. */
  public RouteTable under(String prefix) {
    return new RouteTable(routing, this.prefix + prefix, entries);
  }

  /** Registers {@code handler} for {@code method} on the prefix followed by {@code path}. */
  public RouteTable route(Method method, String path, Handler handler) {
    String full = prefix + path;
    PathMatcher matcher = PathMatchers.create(full);
    routing.route(method, matcher, handler);
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
    routing.any(prefix + path, handler);
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
