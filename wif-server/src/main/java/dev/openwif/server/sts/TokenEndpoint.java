package dev.openwif.server.sts;

import dev.openwif.exchange.ExchangeOutcome;
import dev.openwif.exchange.ExchangeRequest;
import dev.openwif.exchange.TokenExchange;
import dev.openwif.server.http.BoundedBody;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /oauth/token}: the RFC 8693 token-exchange endpoint, at the server root exactly where
 * the SDKs post (docs/wire-protocol.md). It only translates: read the size-capped body, parse it,
 * run {@link TokenExchange} under admission control, write the answer. Never redirects; ignores
 * {@code Accept}, {@code User-Agent} and {@code X-Stainless-*}. A server fault (the signer or store
 * throwing) is answered 500 with the top-level OAuth shape {@code
 * {"error":"server_error","error_description":...}} (RFC 6749 §4.1.2.1 error code;
 * docs/wire-protocol.md), never the gateway's nested error, and carries no detail; the log gets the
 * exception class and message only. Thread-safe.
 */
final class TokenEndpoint implements Handler {
  /** A 16 KiB subject token plus the other parameters, form-encoded, fits comfortably. */
  static final int BODY_LIMIT = 64 * 1024;

  private static final Duration OVERLOAD_RETRY_AFTER = Duration.ofSeconds(1);
  private static final Logger LOG = LoggerFactory.getLogger(TokenEndpoint.class);
  private static final byte[] SERVER_ERROR =
      "{\"error\":\"server_error\",\"error_description\":\"The server could not complete the token exchange.\"}"
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private final Supplier<TokenExchange> exchange;
  private final TokenRequestParser parser;
  private final AdmissionControl admission;
  private final ExchangeRateLimiter limits;
  private final Predicate<String> knownProvider;
  private final TokenResponses responses;
  private final BoundedBody body = new BoundedBody(BODY_LIMIT);

  TokenEndpoint(
      Supplier<TokenExchange> exchange,
      TokenRequestParser parser,
      AdmissionControl admission,
      ExchangeRateLimiter limits,
      Predicate<String> knownProvider,
      TokenResponses responses) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.knownProvider = Objects.requireNonNull(knownProvider, "knownProvider");
    this.exchange = Objects.requireNonNull(exchange, "exchange");
    this.parser = Objects.requireNonNull(parser, "parser");
    this.admission = Objects.requireNonNull(admission, "admission");
    this.responses = Objects.requireNonNull(responses, "responses");
  }

  @Override
  public void handle(ServerRequest req, ServerResponse res) {
    try {
      exchangeAndAnswer(req, res);
    } catch (RuntimeException e) {
      LOG.error("token endpoint failed: {}: {}", e.getClass().getName(), e.getMessage());
      if (!res.isSent()) {
        res.status(500);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(HeaderNames.PRAGMA, "no-cache");
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(SERVER_ERROR);
      }
    }
  }

  private void exchangeAndAnswer(ServerRequest req, ServerResponse res) {
    TokenExchange exchange = this.exchange.get();
    Optional<String> client = clientAddress(req.remotePeer().address());
    byte[] bytes;
    try {
      bytes = body.read(req);
    } catch (BoundedBody.TooLarge e) {
      responses.write(
          res,
          exchange.refuseMalformed(
              "The request body is larger than " + BODY_LIMIT + " bytes.", client));
      return;
    }
    TokenRequest parsed =
        parser.parse(req.headers().value(HeaderNames.CONTENT_TYPE), bytes, client);
    ExchangeOutcome outcome =
        switch (parsed) {
          case TokenRequest.Malformed malformed ->
              exchange.refuseMalformed(malformed.problem(), client);
          case TokenRequest.UnsupportedGrant unsupported ->
              exchange.refuseUnsupportedGrant(unsupported.grantType(), client);
          case TokenRequest.Parsed ok -> limitedThenAdmitted(exchange, ok.request(), client);
        };
    responses.write(res, outcome);
  }

  /**
   * Rate limits first (cheap, per client address and provider), then admission control, then the
   * exchange.
   */
  private ExchangeOutcome limitedThenAdmitted(
      TokenExchange exchange, ExchangeRequest request, Optional<String> client) {
    Optional<ExchangeRateLimiter.Limited> limited =
        limits.check(client, request.identityProviderId(), knownProvider);
    if (limited.isPresent()) {
      return exchange.refuseRateLimited(request, limited.get().retryAfter(), limited.get().which());
    }
    return admission
        .run(() -> exchange.exchange(request))
        .orElseGet(() -> exchange.refuseOverloaded(request, OVERLOAD_RETRY_AFTER));
  }

  private static Optional<String> clientAddress(SocketAddress address) {
    return address instanceof InetSocketAddress inet && inet.getAddress() != null
        ? Optional.of(inet.getAddress().getHostAddress())
        : Optional.empty();
  }
}
