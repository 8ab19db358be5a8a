package dev.openwif.server.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.openwif.audit.AuditLog;
import dev.openwif.federation.AdminKey;
import dev.openwif.federation.admin.AdminKeys;
import dev.openwif.federation.admin.ProjectAdmin;
import dev.openwif.federation.admin.ProviderAdmin;
import dev.openwif.federation.admin.RuleAdmin;
import dev.openwif.federation.admin.ServiceAccountAdmin;
import dev.openwif.server.admin.AdminAuthThrottle;
import dev.openwif.server.dashboard.DashboardSessions.Session;
import dev.openwif.server.dashboard.templates.JtesigninGenerated;
import dev.openwif.server.http.RouteTable;
import dev.openwif.server.http.TrustedProxies;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin dashboard under {@link #PREFIX} (its links point under {@link
 * DashboardSettings#basePath}, the public URL's path followed by {@link #PREFIX}): sign-in with an
 * admin key (checked by {@link AdminKeys}, failures throttled per address by the admin API's {@link
 * AdminAuthThrottle}), exchanged for a server-side session; sign-out; the static CSS and script;
 * the providers, mappings, projects, audit log and token debugger pages, which call the same admin
 * use cases (and audit log) as the JSON admin API. Built by the composition root. Thread-safe.
 */
public final class Dashboard {
  private static final HeaderName SEC_FETCH_SITE = HeaderNames.create("Sec-Fetch-Site");
  private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);

  /** Where the server serves the dashboard, the public URL's path (if any) removed. */
  public static final String PREFIX = "/dashboard";

  private final AdminKeys adminKeys;
  private final AdminAuthThrottle throttle;
  private final TrustedProxies trustedProxies;
  private final DashboardSessions sessions;
  private final Web web;
  private final ProviderPages providerPages;
  private final MappingPages mappingPages;
  private final ProjectPages projectPages;
  private final AuditPages auditPages;
  private final DebuggerPages debuggerPages;
  private final byte[] css = resource("dashboard.css");
  private final byte[] script = resource("dashboard.js");

  public Dashboard(
      AdminKeys adminKeys,
      ProjectAdmin projects,
      ServiceAccountAdmin accounts,
      ProviderAdmin providers,
      RuleAdmin rules,
      AuditLog auditLog,
      Runnable flushAudit,
      TokenDebugger debugger,
      AdminAuthThrottle throttle,
      TrustedProxies trustedProxies,
      Function<URI, Optional<String>> urlRefusal,
      DashboardSettings settings,
      Clock clock,
      ObjectMapper json) {
    this.adminKeys = Objects.requireNonNull(adminKeys, "adminKeys");
    this.throttle = Objects.requireNonNull(throttle, "throttle");
    this.trustedProxies = Objects.requireNonNull(trustedProxies, "trustedProxies");
    this.sessions = new DashboardSessions(settings, clock, new SecureRandom());
    this.web = new Web(sessions, adminKeys, settings);
    Notes notes = new Notes(json);
    this.mappingPages = new MappingPages(web, providers, rules, projects, accounts, notes);
    this.projectPages = new ProjectPages(web, projects, accounts, notes);
    this.auditPages = new AuditPages(web, auditLog, flushAudit);
    this.debuggerPages = new DebuggerPages(web, debugger, providers, projects, accounts);
    this.providerPages =
        new ProviderPages(web, providers, rules, new UrlCheck(urlRefusal), notes, mappingPages);
  }

  /**
   * Registers every dashboard route under {@link #PREFIX} only, where a proxy that removes the
   * public URL's path forwards the browser's requests. Not also under {@link
   * DashboardSettings#basePath}: the proxy would then forward {@code /wif/wif/dashboard/...} to it,
   * a second public address that a proxy rule restricting {@code /wif/dashboard/} does not cover.
   */
  public void register(RouteTable routes) {
    RouteTable r = routes.under(PREFIX);
    // the dashboard's own address, typed with or without the trailing slash
    for (String home : List.of("", "/")) {
      r.get(home, web.page((req, res, s) -> Web.redirect(res, web.base() + "/providers")));
    }
    r.get("/sign-in", this::signInPage);
    r.post("/sign-in", this::signIn);
    r.post("/sign-out", web.form(this::signOut));
    r.get("/static/dashboard.css", asset(css, "text/css; charset=utf-8"));
    r.get("/static/dashboard.js", asset(script, "text/javascript; charset=utf-8"));
    providerPages.register(r);
    mappingPages.register(r);
    projectPages.register(r);
    auditPages.register(r);
    debuggerPages.register(r);
  }

  private void signInPage(ServerRequest req, ServerResponse res) {
    Web.securityHeaders(res);
    if (web.session(req).isPresent()) {
      Web.redirect(res, web.base() + "/providers");
      return;
    }
    Web.render(res, 200, out -> JtesigninGenerated.render(out, null, web.base(), ""));
  }

  /**
   * The admin API's policy ({@link AdminAuthThrottle#authenticate}): an empty form costs nothing, a
   * wrong key counts against the client address, and while that address is over the limit a valid
   * generated key still signs in and anything else gets 429 with {@code Retry-After}.
   */
  private void signIn(ServerRequest req, ServerResponse res) {
    Web.securityHeaders(res);
    // login CSRF: another site's form must not sign a browser in with the attacker's key (its
    // later actions would be audited under that key); browsers say where a request came from
    String site = req.headers().first(SEC_FETCH_SITE).orElse("same-origin");
    if (!site.equals("same-origin") && !site.equals("none")) {
      LOG.info("dashboard sign-in refused: a cross-site form ({})", site);
      Web.render(
          res,
          403,
          out ->
              JtesigninGenerated.render(
                  out, null, web.base(), "Sign in from this page, not another site."));
      return;
    }
    String key = Web.signInBody(req).text("admin_key").strip();
    if (key.isEmpty()) {
      Web.render(
          res, 401, out -> JtesigninGenerated.render(out, null, web.base(), "Enter an admin key."));
      return;
    }
    // the TCP peer, or behind a trusted proxy (--trusted-proxy) the address it vouches for
    String address = trustedProxies.clientAddress(req).orElse("unknown");
    AdminAuthThrottle.Outcome outcome =
        throttle.authenticate(address, key.length() > 512 ? "" : key, adminKeys);
    if (outcome instanceof AdminAuthThrottle.Outcome.Throttled throttled) {
      LOG.info("dashboard sign-in refused: too many failed sign-ins from {}", address);
      res.header(
          HeaderNames.RETRY_AFTER,
          Long.toString(Math.max(1, (throttled.retryAfter().toMillis() + 999) / 1000)));
      Web.render(
          res,
          429,
          out ->
              JtesigninGenerated.render(
                  out,
                  null,
                  web.base(),
                  "Too many failed sign-ins from this address; retry later."));
      return;
    }
    if (!(outcome instanceof AdminAuthThrottle.Outcome.Admitted admitted)) {
      LOG.info("dashboard sign-in refused: unknown or revoked admin key from {}", address);
      Web.render(
          res,
          401,
          out -> JtesigninGenerated.render(out, null, web.base(), "That admin key is not valid."));
      return;
    }
    AdminKey caller = admitted.key();
    Session session = sessions.open(caller.id());
    LOG.info("dashboard sign-in with admin key {}", caller.id());
    res.header(HeaderNames.SET_COOKIE, web.sessionCookie(session.id()));
    Web.redirect(res, web.base() + "/providers");
  }

  private void signOut(ServerRequest req, ServerResponse res, Session session, FormData form) {
    sessions.end(session.id());
    LOG.info("dashboard sign-out of admin key {}", session.adminKeyId());
    res.header(HeaderNames.SET_COOKIE, web.clearedCookie());
    Web.redirect(res, web.base() + "/sign-in");
  }

  private static Handler asset(byte[] bytes, String contentType) {
    return (req, res) -> {
      Web.securityHeaders(res);
      res.header(HeaderNames.CACHE_CONTROL, "no-cache");
      res.header(HeaderNames.CONTENT_TYPE, contentType);
      res.send(bytes);
    };
  }

  private static byte[] resource(String name) {
    try (InputStream in = Dashboard.class.getResourceAsStream("static/" + name)) {
      if (in == null) {
        throw new IllegalStateException("dashboard resource missing: " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
