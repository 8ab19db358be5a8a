package dev.openwif.server.dashboard;

import dev.openwif.federation.AdminValidationException;
import dev.openwif.federation.ConflictException;
import dev.openwif.federation.NotFoundException;
import dev.openwif.federation.admin.AdminKeys;
import dev.openwif.server.dashboard.DashboardSessions.Session;
import dev.openwif.server.dashboard.templates.JtemessageGenerated;
import dev.openwif.server.http.BoundedBody;
import gg.jte.html.HtmlTemplateOutput;
import gg.jte.html.OwaspHtmlTemplateOutput;
import gg.jte.output.StringOutput;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every dashboard page shares: the security headers, the session cookie, the sign-in check
 * (GET without a live session goes to the sign-in page), the CSRF check on every POST (403
 * otherwise), the form body (bounded), rendering a template, and the path browsers see the
 * dashboard under ({@link DashboardSettings#basePath}), which starts every link, form action,
 * redirect and the cookie's {@code Path}. Thread-safe.
 */
final class Web {
  private static final Logger LOG = LoggerFactory.getLogger(Web.class);

  static final String COOKIE = "wif_dashboard_session";

  /** Only our own origin's files; no inline script or style, no framing, forms post only here. */
  static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self';"
          + " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  /** A form may carry a pasted JWKS. */
  private static final BoundedBody BODIES = new BoundedBody(256 * 1024);

  @FunctionalInterface
  interface PageAction {
    void handle(ServerRequest req, ServerResponse res, Session session) throws Exception;
  }

  @FunctionalInterface
  interface FormAction {
    void handle(ServerRequest req, ServerResponse res, Session session, FormData form)
        throws Exception;
  }

  private final DashboardSessions sessions;
  private final AdminKeys adminKeys;
  private final DashboardSettings settings;

  Web(DashboardSessions sessions, AdminKeys adminKeys, DashboardSettings settings) {
    this.sessions = sessions;
    this.adminKeys = adminKeys;
    this.settings = settings;
  }

  /**
   * The path browsers see the dashboard under, {@code /dashboard} or {@code /wif/dashboard}: every
   * link and redirect is this followed by a page's path, same-origin and without a host.
   */
  String base() {
    return settings.basePath();
  }

  /** Headers every dashboard response carries. */
  static void securityHeaders(ServerResponse res) {
    res.header("Content-Security-Policy", CSP);
    res.header("X-Frame-Options", "DENY");
    res.header("Referrer-Policy", "no-referrer");
    res.header("X-Content-Type-Options", "nosniff");
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
  }

  /** A GET page for a signed-in admin. */
  Handler page(PageAction action) {
    return (req, res) -> {
      securityHeaders(res);
      Optional<Session> session = session(req);
      if (session.isEmpty()) {
        redirect(res, base() + "/sign-in");
        return;
      }
      run(res, session.get(), () -> action.handle(req, res, session.get()));
    };
  }

  /** A POST form for a signed-in admin, carrying the session's CSRF token. */
  Handler form(FormAction action) {
    return (req, res) -> {
      securityHeaders(res);
      Optional<Session> session = session(req);
      if (session.isEmpty()) {
        LOG.info("dashboard {} refused: no live session", req.path().path());
        forbidden(res, "", "Your session has ended. Sign in again.");
        return;
      }
      FormData form = body(req);
      if (!session.get().csrfMatches(form.text("csrf"))) {
        LOG.info("dashboard {} refused: missing or wrong CSRF token", req.path().path());
        forbidden(
            res,
            session.get().csrfToken(),
            "This form was not sent from this dashboard session (missing or wrong CSRF token).");
        return;
      }
      run(res, session.get(), () -> action.handle(req, res, session.get(), form));
    };
  }

  private interface Body {
    void run() throws Exception;
  }

  private void run(ServerResponse res, Session session, Body body) throws Exception {
    try {
      body.run();
    } catch (NotFoundException e) {
      message(res, 404, "Not found", e.getMessage(), session.csrfToken());
    } catch (AdminValidationException e) {
      // a change a page offers as one click (enable, disable) that the core refuses
      message(res, 400, "Not saved", e.getMessage(), session.csrfToken());
    } catch (ConflictException e) {
      message(res, 409, "Not saved", e.getMessage(), session.csrfToken());
    }
  }

  private void forbidden(ServerResponse res, String csrf, String message) {
    message(res, 403, "Refused", message, csrf);
  }

  void message(ServerResponse res, int status, String title, String message, String csrf) {
    render(res, status, out -> JtemessageGenerated.render(out, null, base(), title, message, csrf));
  }

  /**
   * A path parameter holding an object id. No id is longer than 128 characters or holds a control
   * character (PostgreSQL refuses U+0000 in a query, which would be a 500): such a value is "not
   * found", as the JSON admin API answers it.
   */
  static String pathId(ServerRequest req, String name) {
    String value = req.path().pathParameters().get(name);
    if (!plausibleId(value)) {
      throw new NotFoundException("No such object.");
    }
    return value;
  }

  /** Whether {@code value} could be an object id: 1..128 characters, none a control character. */
  static boolean plausibleId(String value) {
    return !value.isEmpty() && value.length() <= 128 && value.chars().noneMatch(c -> c < 0x20);
  }

  private static final BoundedBody SIGN_IN_BODIES = new BoundedBody(4 * 1024);

  /**
   * The sign-in form's body, at most 4 KiB: anyone may post it, and it holds one key; a larger body
   * reads as an empty form.
   */
  static FormData signInBody(ServerRequest req) {
    try {
      return FormData.parse(new String(SIGN_IN_BODIES.read(req), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | BoundedBody.TooLarge e) {
      return FormData.parse("");
    }
  }

  /** The form body (at most 256 KiB). */
  static FormData body(ServerRequest req) {
    try {
      return FormData.parse(new String(BODIES.read(req), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return FormData.parse("");
    }
  }

  /** The live session named by the request's cookie, whose admin key is still active. */
  Optional<Session> session(ServerRequest req) {
    return cookie(req)
        .flatMap(sessions::touch)
        .filter(
            s -> {
              boolean active =
                  adminKeys.list().stream()
                      .anyMatch(k -> k.id().equals(s.adminKeyId()) && k.active());
              if (!active) {
                sessions.end(s.id());
              }
              return active;
            });
  }

  static Optional<String> cookie(ServerRequest req) {
    for (String header : req.headers().values(HeaderNames.COOKIE)) {
      int start = 0;
      while (start <= header.length()) {
        int end = header.indexOf(';', start);
        if (end < 0) {
          end = header.length();
        }
        String p = header.substring(start, end).strip();
        start = end + 1;
        if (p.startsWith(COOKIE + "=")) {
          String value = p.substring(COOKIE.length() + 1);
          if (!value.isEmpty() && value.length() <= 64) {
            return Optional.of(value);
          }
        }
      }
    }
    return Optional.empty();
  }

  /** The {@code Set-Cookie} value carrying {@code sessionId}. */
  String sessionCookie(String sessionId) {
    return COOKIE
        + "="
        + sessionId
        + "; Path="
        + settings.basePath()
        + "; HttpOnly; SameSite=Strict"
        + (settings.secureCookie() ? "; Secure" : "");
  }

  /** The {@code Set-Cookie} value that removes the session cookie. */
  String clearedCookie() {
    return COOKIE
        + "=; Path="
        + settings.basePath()
        + "; Max-Age=0; HttpOnly; SameSite=Strict"
        + (settings.secureCookie() ? "; Secure" : "");
  }

  static void redirect(ServerResponse res, String location) {
    res.status(303);
    res.header(HeaderNames.LOCATION, location);
    res.send();
  }

  static void render(ServerResponse res, int status, Consumer<HtmlTemplateOutput> template) {
    StringOutput out = new StringOutput();
    template.accept(new OwaspHtmlTemplateOutput(out));
    res.status(status);
    res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
    res.send(out.toString().getBytes(StandardCharsets.UTF_8));
  }
}
