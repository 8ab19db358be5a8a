package dev.openwif.server.gateway;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code --upstream-route MODEL_GLOB=URL}: requests whose JSON body names a model the pattern
 * matches go to {@code target} instead of {@code --upstream}, <em>without</em> the upstream key
 * (the operator's key for {@code --upstream} never goes to another server; a route target gets no
 * {@code Authorization}). Immutable.
 *
 * @param position the route's place among the {@code --upstream-route} options, from 1 (named in
 *     errors and logs)
 */
public record UpstreamRoute(int position, ModelGlob glob, UpstreamTarget target) {
  static final String FLAG = "--upstream-route";

  public UpstreamRoute {
    Objects.requireNonNull(glob, "glob");
    Objects.requireNonNull(target, "target");
    if (position < 1) {
      throw new IllegalArgumentException("position starts at 1");
    }
  }

  /**
   * Parses the {@code position}-th {@code --upstream-route} value, {@code MODEL_GLOB=URL}.
   *
   * @throws IllegalArgumentException naming the option and the position (never echoing a query or
   *     user info of the URL)
   */
  public static UpstreamRoute parse(int position, String spec) {
    String label = FLAG + " #" + position;
    int eq = spec.indexOf('=');
    if (eq < 0) {
      throw new IllegalArgumentException(
          label
              + " is not usable: give MODEL_GLOB=URL, for example 'llama-*=http://127.0.0.1:8000/v1'");
    }
    ModelGlob glob;
    try {
      glob = new ModelGlob(spec.substring(0, eq).strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(label + " is not usable: " + e.getMessage(), e);
    }
    UpstreamTarget target = UpstreamTarget.parse(spec.substring(eq + 1), label + " (" + glob + ")");
    return new UpstreamRoute(position, glob, target);
  }

  /** The first route whose pattern matches {@code model}; empty: the default upstream. */
  public static Optional<UpstreamRoute> firstMatch(List<UpstreamRoute> routes, String model) {
    return routes.stream().filter(route -> route.glob().matches(model)).findFirst();
  }

  @Override
  public String toString() {
    return glob + "=" + target.base();
  }
}
