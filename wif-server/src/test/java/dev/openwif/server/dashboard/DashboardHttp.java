package dev.openwif.server.dashboard;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A plain HTTP client for the dashboard's security tests: no cookie jar and no redirects, so each
 * test says exactly which cookie it sends and sees every 303. Every call has a timeout.
 */
final class DashboardHttp {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  private final String base;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  DashboardHttp(String base) {
    this.base = base;
  }

  HttpResponse<String> get(String path, Optional<String> session) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).GET();
    session.ifPresent(s -> b.header("Cookie", Web.COOKIE + "=" + s));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, Optional<String> session, Map<String, String> form)
      throws Exception {
    String body =
        form.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    session.ifPresent(s -> b.header("Cookie", Web.COOKIE + "=" + s));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A form post without a session, with one extra request header. */
  HttpResponse<String> postWithHeader(
      String path, Map<String, String> form, String header, String value) throws Exception {
    String body =
        form.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header(header, value)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Signs in; returns the {@code Set-Cookie} header of the answer. */
  HttpResponse<String> signIn(String adminKey) throws Exception {
    return post("/dashboard/sign-in", Optional.empty(), Map.of("admin_key", adminKey));
  }

  /** The session id a sign-in answer set. */
  static String sessionOf(HttpResponse<String> signIn) {
    String cookie = signIn.headers().firstValue("Set-Cookie").orElseThrow();
    String first = cookie.substring(0, cookie.indexOf(';'));
    return first.substring(first.indexOf('=') + 1);
  }

  /** The CSRF token a page's forms carry. */
  static String csrfOf(HttpResponse<String> page) {
    Matcher m = CSRF.matcher(page.body());
    if (!m.find()) {
      throw new AssertionError("no CSRF field on the page: " + page.body());
    }
    return m.group(1);
  }
}
