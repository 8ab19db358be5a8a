package dev.openwif.server.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The server's public URL ({@code --public-url}, the access tokens' issuer), split into its origin
 * ({@code https://gw.example.com}) and its path ({@code /wif}, or empty). A public URL with a path
 * means a reverse proxy in front that removes that path before forwarding, so the server sees
 * {@code https://gw.example.com/wif/oauth/token} as {@code /oauth/token}.
 *
 * <p>The well-known documents of RFC 8414 §3.1 and RFC 9728 §3.1 are not under the public URL:
 * their URL puts the well-known segment between the origin and the path ({@code
 * https://gw.example.com/.well-known/oauth-authorization-server/wif}), which reaches the server
 * only through a proxy rule of its own. {@link #wellKnownUrl} gives that URL; {@link
 * #wellKnownPaths} the request paths the server answers it at, whether the proxy forwards it
 * unchanged or without the public URL's path. Immutable; thread-safe.
 *
 * @param origin scheme and authority, no trailing slash
 * @param path empty, or {@code /} followed by segments separated by {@code /}, no trailing slash
 */
public record PublicUrl(String origin, String path) {
  /** RFC 8615's prefix of every well-known URI's path. */
  public static final String WELL_KNOWN = "/.well-known/";

  private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)*");

  public PublicUrl {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(path, "path");
  }

  /**
   * Parses a public URL: {@code http} or {@code https}, a host, no user information, query or
   * fragment, at most one trailing slash (dropped); path segments of letters, digits and {@code - .
   * _ ~}, none of them {@code .} or {@code ..}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static PublicUrl parse(String url) {
    Objects.requireNonNull(url, "url");
    String text = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw invalid(url, "it is not a URL (" + e.getReason() + ")");
    }
    String scheme = uri.getScheme();
    if (scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || uri.isOpaque()) {
      throw invalid(url, "it must start with http:// or https://");
    }
    String authority = uri.getRawAuthority();
    if (authority == null || authority.isEmpty()) {
      throw invalid(url, "it names no host");
    }
    if (authority.contains("@")) {
      throw invalid(url, "it must not hold user information");
    }
    if (uri.getHost() == null || authority.endsWith(":")) {
      throw invalid(url, "it names no valid host and port (host, or host:port with a port number)");
    }
    if (uri.getPort() == 0 || uri.getPort() > 65535) {
      throw invalid(url, "its port must be 1 to 65535");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw invalid(url, "it must have no query (?) and no fragment (#)");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (!PATH.matcher(path).matches()) {
      throw invalid(
          url,
          "its path may hold only letters, digits and - . _ ~ between single slashes"
              + (mayHoldCredential(url) ? "" : ": " + path));
    }
    for (String segment : path.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        throw invalid(url, "its path must have no . or .. segment");
      }
    }
    // scheme and host are case-insensitive (RFC 3986 §6.2.2.1): the issuer is written in lower case
    return new PublicUrl(
        scheme.toLowerCase(Locale.ROOT) + "://" + authority.toLowerCase(Locale.ROOT), path);
  }

  /** The error; the URL not echoed when it may hold a credential (user information, a query). */
  private static IllegalArgumentException invalid(String url, String why) {
    String shown;
    if (mayHoldCredential(url)) {
      shown = "(not shown: it may hold a credential)";
    } else {
      shown = "'" + (url.length() > 200 ? url.substring(0, 200) + "…" : url) + "'";
    }
    return new IllegalArgumentException("the public URL " + shown + " is not usable: " + why);
  }

  private static boolean mayHoldCredential(String url) {
    return url.contains("@") || url.contains("?") || url.contains("#");
  }

  /** The public URL itself: the origin followed by the path. */
  public String url() {
    return origin + path;
  }

  /**
   * The URL of the well-known document {@code name} of the identifier {@code url() + suffix}, by
   * RFC 8414 §3.1 and RFC 9728 §3.1: the well-known segment between the origin and the path ({@code
   * https://h/wif} and {@code /v1} → {@code
   * https://h/.well-known/oauth-protected-resource/wif/v1}).
   *
   * @param name the well-known URI suffix, {@code oauth-authorization-server} say
   * @param suffix empty, or a path beginning with {@code /} that follows the public URL
   */
  public String wellKnownUrl(String name, String suffix) {
    return origin + wellKnownPaths(name, suffix).get(0);
  }

  /**
   * The request paths this server answers {@link #wellKnownUrl} at, without duplicates: first the
   * URL's own path (a proxy that forwards it unchanged), then, when the public URL has a path, the
   * same without it (a proxy that removes the public URL's path there too, or a client that appends
   * the well-known segment to the public URL and so reaches the server through the proxy's ordinary
   * rule).
   */
  public List<String> wellKnownPaths(String name, String suffix) {
    if (name.isEmpty() || name.contains("/")) {
      throw new IllegalArgumentException("not a well-known URI suffix: " + name);
    }
    if (!suffix.isEmpty() && !suffix.startsWith("/")) {
      throw new IllegalArgumentException("a suffix must be empty or start with /: " + suffix);
    }
    Set<String> paths = new LinkedHashSet<>();
    paths.add(WELL_KNOWN + name + path + suffix);
    paths.add(WELL_KNOWN + name + suffix);
    return List.copyOf(paths);
  }
}
