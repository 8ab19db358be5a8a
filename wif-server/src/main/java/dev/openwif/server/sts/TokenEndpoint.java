package dev.openwif.server.sts;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.openwif.audit.AuditUnavailableException;
import dev.openwif.directory.FederationDirectory;
import dev.openwif.exchange.EarlyRefusal;
import dev.openwif.exchange.EarlyRefusals;
import dev.openwif.exchange.ExchangeFault;
import dev.openwif.exchange.ExchangeOutcome;
import dev.openwif.exchange.ExchangeRequest;
import dev.openwif.exchange.TokenExchange;
import dev.openwif.server.http.BoundedBody;
import dev.openwif.server.http.TrustedProxies;
import dev.openwif.server.http.WarningThrottle;
import io.helidon.common.buffers.DataReader;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /oauth/token}: the RFC 8693 token-exchange endpoint, at the server root exactly where
 * the SDKs post (docs/wire-protocol.md). It only translates: read the size-capped body, parse it,
 * run {@link TokenExchange} under rate limits (the client address's on every request, malformed or
 * not, before its refusal is audited) and admission control, write the answer; requests refused
 * before the exchange runs are audited by {@link EarlyRefusals}. Never redirects; ignores {@code
 * Accept}, {@code User-Agent} and {@code X-Stainless-*}. A server fault (the signer or store
 * throwing) is audited as {@code internal_error} exactly once and answered 500 with the top-level
 * OAuth shape {@code {"error":"server_error","error_description":...}} (RFC 6749 §4.1.2.1 error
 * code; docs/wire-protocol.md), never the gateway's nested error, and carries no detail; the log
 * gets the exception class and message only. When the attempt cannot be audited because the audit
 * queue stayed full for its short bound (the database stalls, {@link AuditUnavailableException}),
 * the exchange fails closed: nothing is issued, the answer is a fast 503 {@code
 * temporarily_unavailable} with {@code Retry-After}, and the reason is logged at WARN at most once
 * per {@link #AUDIT_WARN_INTERVAL} (no stack trace). Thread-safe.
 */
public final class TokenEndpoint implements Handler {
  /** A 16 KiB subject token plus the other parameters, form-encoded, fits comfortably. */
  static final int BODY_LIMIT = 64 * 1024;

  private static final Duration OVERLOAD_RETRY_AFTER = Duration.ofSeconds(1);
  static final Duration AUDIT_WARN_INTERVAL = Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(TokenEndpoint.class);
  private static final byte[] SERVER_ERROR =
      "{\"error\":\"server_error\",\"error_description\":\"The server could not complete the token exchange.\"}"
          .getBytes(StandardCharsets.US_ASCII);
  private static final byte[] AUDIT_UNAVAILABLE =
      "{\"error\":\"temporarily_unavailable\",\"error_description\":\"The server cannot record the exchange right now; retry later.\"}"
          .getBytes(StandardCharsets.US_ASCII);

  private final TokenExchange exchange;
  private final EarlyRefusals refusals;
  private final ExchangeRateLimiter limits;
  private final AdmissionControl admission;
  private final FederationDirectory directory;
  private final TrustedProxies proxies;
  private final ExchangeObserver observer;
  private final TokenRequestParser parser = new TokenRequestParser();
  private final TokenResponses responses;
  private final BoundedBody body = new BoundedBody(BODY_LIMIT);
  private final WarningThrottle auditWarnings = new WarningThrottle(AUDIT_WARN_INTERVAL);

  /**
   * @param directory tells the rate limiter whether a provider id exists
   */
  public TokenEndpoint(
      TokenExchange exchange,
      EarlyRefusals refusals,
      ExchangeRateLimiter limits,
      AdmissionControl admission,
      FederationDirectory directory,
      TrustedProxies proxies,
      ObjectMapper json) {
    this(exchange, refusals, limits, admission, directory, proxies, json, ExchangeObserver.NONE);
  }

  /**
   * @param observer told how each attempt ended (after it was audited) and how long it took
   */
  public TokenEndpoint(
      TokenExchange exchange,
      EarlyRefusals refusals,
      ExchangeRateLimiter limits,
      AdmissionControl admission,
      FederationDirectory directory,
      TrustedProxies proxies,
      ObjectMapper json,
      ExchangeObserver observer) {
    this.observer = Objects.requireNonNull(observer, "observer");
    this.exchange = Objects.requireNonNull(exchange, "exchange");
    this.proxies = Objects.requireNonNull(proxies, "proxies");
    this.refusals = Objects.requireNonNull(refusals, "refusals");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.admission = Objects.requireNonNull(admission, "admission");
    this.directory = Objects.requireNonNull(directory, "directory");
    this.responses = new TokenResponses(json);
  }

  /**
   * Decides (auditing the attempt exactly once), then writes the answer. Writing comes last and
   * outside the audited part: a client that went away before reading its answer leaves the one
   * audit event its attempt earned, not a second one for the failed write.
   */
  @Override
  public void handle(ServerRequest req, ServerResponse res) {
    long start = System.nanoTime();
    Optional<String> client = proxies.clientAddress(req);
    ExchangeOutcome outcome;
    try {
      outcome = auditedOutcome(req, client);
    } catch (AuditUnavailableException unaudited) {
      observer.unaudited(System.nanoTime() - start);
      refuseUnaudited(res, unaudited);
      return;
    } catch (RuntimeException auditFailed) {
      // Only recording the attempt can fail here (every other fault became an outcome).
      LOG.error("cannot audit a token exchange attempt: {}", auditFailed.getClass().getName());
      if (!res.isSent()) {
        sendServerError(res);
      }
      return;
    }
    long nanos = System.nanoTime() - start;
    switch (outcome) {
      case ExchangeOutcome.Issued issued -> observer.issued(nanos);
      case ExchangeOutcome.Rejected rejected -> observer.rejected(rejected.reason(), nanos);
    }
    try {
      responses.write(res, outcome);
    } catch (RuntimeException unsent) {
      if (res.isSent()) {
        LOG.info(
            "token endpoint: the answer could not be sent (client gone?): {}",
            unsent.getClass().getName());
      } else {
        LOG.error("token endpoint could not write its answer: {}", unsent.getClass().getName());
        sendServerError(res);
      }
    }
  }

  /**
   * The attempt's outcome, audited exactly once: refusals by {@link EarlyRefusals}, exchanges by
   * {@link TokenExchange} (which also audits its own faults, see {@link ExchangeFault}), and a
   * fault around the exchange as a server fault here. Throws only when the audit itself fails.
   */
  private ExchangeOutcome auditedOutcome(ServerRequest req, Optional<String> client) {
    TokenRequest parsed;
    try {
      parsed = readAndParse(req, client);
    } catch (RuntimeException fault) {
      return serverFault(client, Optional.empty(), fault);
    }
    Optional<ExchangeRequest> request =
        parsed instanceof TokenRequest.Parsed ok ? Optional.of(ok.request()) : Optional.empty();
    Optional<ExchangeRateLimiter.Limited> addressLimited;
    try {
      addressLimited = limits.checkAddress(client);
    } catch (RuntimeException fault) {
      return serverFault(client, request, fault);
    }
    if (addressLimited.isPresent()) {
      // before a malformed request is audited as such: a flood of them is limited like any other
      Duration wait = addressLimited.get().retryAfter();
      String which = addressLimited.get().which();
      return refusals.refuse(
          request.isPresent()
              ? new EarlyRefusal.RateLimited(request.get(), wait, which)
              : new EarlyRefusal.AddressLimited(client, wait, which));
    }
    return switch (parsed) {
      case TokenRequest.Malformed malformed ->
          refusals.refuse(new EarlyRefusal.Malformed(malformed.problem(), client));
      case TokenRequest.UnsupportedGrant unsupported ->
          refusals.refuse(new EarlyRefusal.UnsupportedGrant(unsupported.grantType(), client));
      case TokenRequest.Parsed ok -> {
        try {
          yield limitedThenAdmitted(ok.request());
        } catch (AuditUnavailableException unaudited) {
          throw unaudited; // not a fault to audit: auditing is what failed
        } catch (ExchangeFault fault) {
          logFault(fault.fault());
          yield fault.rejected();
        } catch (RuntimeException fault) {
          yield serverFault(client, Optional.of(ok.request()), fault);
        }
      }
    };
  }

  /**
   * The size-capped body, parsed. A body over the limit, or one the client stopped sending, is a
   * malformed request, not a server fault.
   */
  private TokenRequest readAndParse(ServerRequest req, Optional<String> client) {
    byte[] bytes;
    try {
      bytes = body.read(req);
    } catch (BoundedBody.TooLarge e) {
      return new TokenRequest.Malformed(
          "The request body is larger than " + BODY_LIMIT + " bytes.");
    } catch (UncheckedIOException
        | DataReader.InsufficientDataAvailableException
        | CloseConnectionException e) {
      // Helidon's signals for a client that closed or reset the connection before its
      // Content-Length was sent: the request's fault, not the server's.
      return new TokenRequest.Malformed("The request body could not be read.");
    }
    return parser.parse(req.headers().value(HeaderNames.CONTENT_TYPE), bytes, client);
  }

  /**
   * The provider's rate limit first (cheap; the client address's was checked already), then the
   * bounded wait for the issuer's keys, then admission control, then the exchange.
   */
  private ExchangeOutcome limitedThenAdmitted(ExchangeRequest request) {
    Optional<ExchangeRateLimiter.Limited> limited =
        limits.checkProvider(
            request.clientAddress(),
            request.identityProviderId(),
            id -> directory.snapshot().provider(id).isPresent());
    if (limited.isPresent()) {
      return refusals.refuse(
          new EarlyRefusal.RateLimited(request, limited.get().retryAfter(), limited.get().which()));
    }
    // waits (bounded) for the issuer's keys here, holding no admission slot: a slow issuer
    // cannot occupy the slots every provider's exchanges need
    exchange.prepareIssuerKeys(request);
    return admission
        .run(() -> exchange.exchange(request))
        .orElseGet(
            () -> refusals.refuse(new EarlyRefusal.Overloaded(request, OVERLOAD_RETRY_AFTER)));
  }

  private ExchangeOutcome serverFault(
      Optional<String> client, Optional<ExchangeRequest> request, RuntimeException fault) {
    logFault(fault);
    return refusals.refuse(new EarlyRefusal.ServerFault(client, request, fault));
  }

  /**
   * The attempt could not be audited: fail closed with 503 {@code temporarily_unavailable} (nothing
   * was issued: the token, if one was minted, is discarded) and log why, rate-limited.
   */
  private void refuseUnaudited(ServerResponse res, AuditUnavailableException unaudited) {
    long held = auditWarnings.admit();
    if (held >= 0) {
      LOG.warn(
          "token exchange refused with 503, the attempt could not be audited: {} ({} more since"
              + " the last warning)",
          unaudited.getMessage(),
          held);
    }
    if (res.isSent()) {
      return;
    }
    res.status(503);
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    res.header(HeaderNames.PRAGMA, "no-cache");
    res.header(HeaderNames.RETRY_AFTER, Long.toString(OVERLOAD_RETRY_AFTER.toSeconds()));
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    res.send(AUDIT_UNAVAILABLE);
  }

  /** The top-level OAuth 500, with no detail of the fault. */
  private static void sendServerError(ServerResponse res) {
    res.status(500);
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    res.header(HeaderNames.PRAGMA, "no-cache");
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    res.send(SERVER_ERROR);
  }

  private static void logFault(RuntimeException fault) {
    LOG.error("token endpoint failed: {}: {}", fault.getClass().getName(), fault.getMessage());
  }
}
