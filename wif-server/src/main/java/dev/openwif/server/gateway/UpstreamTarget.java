package dev.openwif.server.gateway;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where {@code wif serve --upstream URL} sends the {@code /v1} API: an absolute {@code http} or
 * {@code https} URL with a host and a base path (such as {@code /v1}), no user info, query or
 * fragment. A request for {@code /v1/REST?QUERY} goes to {@code URL/REST?QUERY}.
 *
 * @param base the URL without a trailing slash
 */
public record UpstreamTarget(URI base) {
  public UpstreamTarget {
    Objects.requireNonNull(base, "base");
  }

  /**
   * Parses and checks {@code --upstream}.
   *
   * @throws IllegalArgumentException naming what is wrong (never a stack of causes)
   */
  public static UpstreamTarget parse(String url) {
    return parse(url, "--upstream");
  }

  /**
   * Parses and checks a URL given by the option {@code label} (such as {@code --upstream-route #2
   * (llama-*)}), which errors start with.
   *
   * @throws IllegalArgumentException naming what is wrong (never a stack of causes)
   */
  public static UpstreamTarget parse(String url, String label) {
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      // not echoed: a value that does not parse may still hold a password
      throw invalid(
          label,
          "(the value given)",
          url.contains("://")
              ? "it is not a valid URL"
              : "it is not a valid URL; give an absolute http:// or https:// URL, for"
                  + " example http://127.0.0.1:8000/v1");
    }
    String shown = shown(url.strip(), uri);
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw invalid(label, shown, "it must be an absolute http:// or https:// URL");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw invalid(label, shown, "it has no host");
    }
    if (uri.getRawUserInfo() != null) {
      throw invalid(
          label, shown, "it must not carry user info; give the key with WIF_UPSTREAM_API_KEY");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      // not echoed: a query may hold a key
      throw invalid(label, shown, "it must not have a query or a fragment");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (path.isEmpty()) {
      throw invalid(
          label, shown, "it needs the API's base path, for example https://api.openai.com/v1");
    }
    return new UpstreamTarget(URI.create(scheme + "://" + uri.getRawAuthority() + path));
  }

  /**
   * The upstream URL for a request whose path after {@code /v1} is {@code rest} (raw, empty or
   * starting with {@code /}) and whose raw query is {@code query}.
   */
  public URI resolve(String rest, Optional<String> query) {
    String q = query.filter(s -> !s.isEmpty()).map(s -> "?" + s).orElse("");
    return URI.create(base + rest + q);
  }

  /** Whether the upstream is reached over TLS. */
  boolean secure() {
    return base.getScheme().equals("https");
  }

  /**
   * The URL as errors may show it: without its query and fragment (a query may hold a key) and with
   * its user info as {@code ***} (it may be a password).
   */
  private static String shown(String url, URI uri) {
    String shown = url;
    int cut = shown.length();
    for (char c : new char[] {'?', '#'}) {
      int at = shown.indexOf(c);
      if (at >= 0) {
        cut = Math.min(cut, at);
      }
    }
    shown = shown.substring(0, cut);
    String userInfo = uri.getRawUserInfo();
    return userInfo == null ? shown : shown.replace(userInfo + "@", "***@");
  }

  private static IllegalArgumentException invalid(String label, String url, String why) {
    return new IllegalArgumentException(label + " " + url + " is not usable: " + why);
  }
}
