package dev.openwif.server.gateway;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Routes (a method and a path pattern) mapped to the one scope each needs, looked up per request. A
 * pattern is {@code /}-separated segments, each a literal ({@code files}) or a parameter ({@code
 * {file_id}}) standing for one segment.
 *
 * <p>Lookup walks a tree of segments, one hash lookup per segment, with no pattern scan. A literal
 * wins over a parameter at the same place and there is no backtracking: with {@code POST
 * /v1/threads/runs} and {@code GET /v1/threads/{thread_id}} listed, {@code GET /v1/threads/runs} is
 * not mapped. Anything the table does not understand is not mapped, which the gateway treats as
 * deny-by-default: an empty, {@code .} or {@code ..} segment (so a double or trailing slash), a
 * segment with a character outside {@code A-Z a-z 0-9 - _ . : ~} (so any {@code %}-escape), a path
 * longer than {@value #MAX_PATH} characters, a method in another case. Paths are compared as raw,
 * case-sensitive text.
 *
 * <p>Immutable once built; thread-safe.
 */
final class RouteScopeTable {
  /** One entry: {@code method} in upper case, {@code pattern} as written, the scope it needs. */
  record Route(String method, String pattern, String scope) {
    Route {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(pattern, "pattern");
      Objects.requireNonNull(scope, "scope");
    }
  }

  /** Longest path looked up; a longer one is not mapped. */
  static final int MAX_PATH = 2048;

  private static final Pattern METHOD = Pattern.compile("[A-Z]+");
  private static final Pattern LITERAL = Pattern.compile("[a-z0-9_.-]+");
  private static final Pattern PARAMETER = Pattern.compile("\\{[a-z_]+}");

  private final Node root;
  private final List<Route> routes;

  private RouteScopeTable(List<Route> routes) {
    MutableNode top = new MutableNode();
    for (Route route : routes) {
      add(top, route);
    }
    this.root = top.freeze();
    this.routes = List.copyOf(routes);
  }

  /** A table of {@code routes}; refuses a malformed pattern or a route listed twice. */
  static RouteScopeTable of(List<Route> routes) {
    return new RouteScopeTable(routes);
  }

  /** Every route, in the order given. */
  List<Route> routes() {
    return routes;
  }

  /**
   * The scope {@code method} on the raw {@code path} (no query) needs; empty when the table does
   * not map it, or does not understand the path.
   */
  Optional<String> scopeFor(String method, String path) {
    if (path.length() > MAX_PATH || path.isEmpty() || path.charAt(0) != '/') {
      return Optional.empty();
    }
    Node node = root;
    int start = 1;
    while (true) {
      int end = path.indexOf('/', start);
      if (end < 0) {
        end = path.length();
      }
      if (end == start) {
        return Optional.empty();
      }
      String segment = path.substring(start, end);
      Node next = node.literals().get(segment);
      if (next == null) {
        next = node.parameter();
        if (next == null || !parameterValue(segment)) {
          return Optional.empty();
        }
      }
      node = next;
      if (end == path.length()) {
        return Optional.ofNullable(node.scopes().get(method));
      }
      start = end + 1;
    }
  }

  /**
   * The scope of the route registered as {@code pattern} (parameter names may differ from the
   * table's: {@code {id}} matches {@code {model}}); empty when the table has no such route.
   */
  Optional<String> scopeOfPattern(String method, String pattern) {
    String shape = shape(pattern);
    return routes.stream()
        .filter(r -> r.method().equals(method) && shape(r.pattern()).equals(shape))
        .map(Route::scope)
        .findFirst();
  }

  private static String shape(String pattern) {
    return pattern.replaceAll("\\{[^/}]*}", "{}");
  }

  /** A parameter stands for one segment of ids and names: no escapes, no dot segments. */
  static boolean parameterValue(String segment) {
    if (segment.equals(".") || segment.equals("..")) {
      return false;
    }
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_'
              || c == '.'
              || c == ':'
              || c == '~';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static void add(MutableNode top, Route route) {
    if (!METHOD.matcher(route.method()).matches()) {
      throw new IllegalArgumentException("method must be upper case: " + route);
    }
    if (!route.pattern().startsWith("/")) {
      throw new IllegalArgumentException("pattern must start with '/': " + route);
    }
    MutableNode node = top;
    for (String segment : route.pattern().substring(1).split("/", -1)) {
      if (PARAMETER.matcher(segment).matches()) {
        MutableNode parameter = node.parameter;
        if (parameter == null) {
          parameter = new MutableNode();
          node.parameter = parameter;
        }
        node = parameter;
      } else if (LITERAL.matcher(segment).matches()
          && !segment.equals(".")
          && !segment.equals("..")) {
        node = node.literals.computeIfAbsent(segment, s -> new MutableNode());
      } else {
        throw new IllegalArgumentException("bad segment '" + segment + "' in " + route);
      }
    }
    String previous = node.scopes.putIfAbsent(route.method(), route.scope());
    if (previous != null) {
      throw new IllegalArgumentException("route listed twice: " + route);
    }
  }

  private record Node(
      Map<String, Node> literals, @Nullable Node parameter, Map<String, String> scopes) {}

  private static final class MutableNode {
    final Map<String, MutableNode> literals = new HashMap<>();
    @Nullable MutableNode parameter;
    final Map<String, String> scopes = new HashMap<>();

    Node freeze() {
      Map<String, Node> frozen = new HashMap<>();
      literals.forEach((segment, child) -> frozen.put(segment, child.freeze()));
      MutableNode p = parameter;
      return new Node(Map.copyOf(frozen), p == null ? null : p.freeze(), Map.copyOf(scopes));
    }
  }
}
