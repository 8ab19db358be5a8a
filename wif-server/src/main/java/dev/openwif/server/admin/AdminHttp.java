package dev.openwif.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.openwif.federation.AdminKey;
import dev.openwif.federation.AdminValidationException;
import dev.openwif.federation.ConflictException;
import dev.openwif.federation.NotFoundException;
import dev.openwif.federation.PreconditionFailedException;
import dev.openwif.federation.admin.AdminKeys;
import dev.openwif.federation.admin.ChangeNote;
import dev.openwif.server.http.BoundedBody;
import dev.openwif.server.http.OpenAiErrorWriter;
import dev.openwif.server.http.TrustedProxies;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * What every admin endpoint shares: admin-key authentication ({@code Authorization: Bearer <key>},
 * 401 in OpenAI's error shape when missing or unknown), the 64 KiB body limit (413), strict JSON
 * parsing (400 for malformed JSON), JSON responses, and the mapping of the use cases' exceptions to
 * statuses (400 naming {@code param}, 404, 412 for a failed {@code If-Match} ({@link EntityTags}),
 * 409 with {@code x-should-retry: false}, also for the store's unique and reference violations when
 * concurrent writers race past the use cases' checks). Thread-safe.
 */
final class AdminHttp {
  private final ObjectMapper json;
  private final OpenAiErrorWriter errors;
  private final AdminKeys adminKeys;
  private final BoundedBody bodies = new BoundedBody(BoundedBody.ADMIN_LIMIT);

  private final AdminAuthThrottle authThrottle;
  private final TrustedProxies proxies;

  AdminHttp(
      ObjectMapper json,
      OpenAiErrorWriter errors,
      AdminKeys adminKeys,
      AdminAuthThrottle authThrottle,
      TrustedProxies proxies) {
    this.authThrottle = Objects.requireNonNull(authThrottle, "authThrottle");
    this.proxies = Objects.requireNonNull(proxies, "proxies");
    this.json = json;
    this.errors = errors;
    this.adminKeys = adminKeys;
  }

  /** One admin operation, run only for an authenticated admin key. */
  @FunctionalInterface
  interface AdminAction {
    void handle(ServerRequest req, ServerResponse res, AdminKey caller) throws Exception;
  }

  ObjectMapper json() {
    return json;
  }

  /**
   * Wraps {@code action} with authentication and error mapping. A request without credentials gets
   * 401 and costs nothing (behind a proxy, header-less probes from anyone would otherwise lock
   * every admin out). A presented but wrong credential counts against the client address ({@link
   * TrustedProxies}). While that address is over the limit, a wrong credential gets 429 with {@code
   * Retry-After}, and so does any credential not shaped like a generated key (an operator-chosen
   * bootstrap key could be guessed if its right value were still answered); a generated key (256
   * random bits, not guessable) is still checked, so a valid one is never locked out.
   */
  Handler guard(AdminAction action) {
    return (req, res) -> {
      Optional<String> presented = req.headers().first(HeaderNames.AUTHORIZATION);
      if (presented.isEmpty() || presented.get().isBlank()) {
        errors.unauthorized(
            res, "Missing admin key. Send it as 'Authorization: Bearer <admin key>'.");
        return;
      }
      String address = proxies.clientAddress(req).orElse("unknown");
      AdminAuthThrottle.Outcome outcome =
          authThrottle.authenticate(address, bearerSecret(presented.get()).orElse(""), adminKeys);
      if (outcome instanceof AdminAuthThrottle.Outcome.Throttled throttled) {
        res.header(
            HeaderNames.RETRY_AFTER,
            Long.toString(Math.max(1, (throttled.retryAfter().toMillis() + 999) / 1000)));
        res.header("x-should-retry", "false");
        errors.write(
            res,
            429,
            OpenAiErrorWriter.INVALID_REQUEST,
            "Too many failed admin authentications from this address; retry later.",
            Optional.empty(),
            Optional.of("too_many_failed_authentications"));
        return;
      }
      if (!(outcome instanceof AdminAuthThrottle.Outcome.Admitted admitted)) {
        errors.unauthorized(
            res, "Invalid admin key. Send it as 'Authorization: Bearer <admin key>'.");
        return;
      }
      AdminKey caller = admitted.key();
      try {
        action.handle(req, res, caller);
      } catch (BoundedBody.TooLarge e) {
        errors.payloadTooLarge(res, e.limit());
      } catch (BadRequestException e) {
        errors.badRequest(res, e.getMessage(), e.param());
      } catch (AdminValidationException e) {
        errors.badRequest(res, e.getMessage(), Optional.of(e.param()));
      } catch (NotFoundException e) {
        errors.notFound(res, e.getMessage());
      } catch (PreconditionFailedException e) {
        errors.preconditionFailed(res, e.getMessage());
      } catch (ConflictException e) {
        // the use case's own check, or the store's backstop when two nodes race past it
        errors.conflict(res, e.getMessage(), e.param());
      }
    };
  }

  /** The secret of a {@code Bearer} credential, when the header is one of a plausible size. */
  private static Optional<String> bearerSecret(String header) {
    String value = header.strip();
    if (value.length() < 8 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    String secret = value.substring(7).strip();
    if (secret.isEmpty() || secret.length() > 512) {
      return Optional.empty();
    }
    return Optional.of(secret);
  }

  /** The request body as a JSON object (at most 64 KiB). */
  JsonFields body(ServerRequest req) {
    byte[] bytes = bodies.read(req);
    if (bytes.length == 0) {
      throw new BadRequestException(Optional.empty(), "The request body must be a JSON object.");
    }
    JsonNode node;
    try {
      node = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(bytes);
    } catch (IOException e) {
      throw new BadRequestException(
          Optional.empty(), "We could not parse the JSON body of your request: " + shortReason(e));
    }
    return JsonFields.object(node, "");
  }

  private static String shortReason(IOException e) {
    String message =
        e instanceof JsonProcessingException p
            ? p.getOriginalMessage()
            : e.getClass().getSimpleName();
    if (message == null) {
      return "malformed JSON.";
    }
    return message.length() > 200 ? message.substring(0, 200) + "..." : message;
  }

  /** The audit note for a change: the caller's key id and the request data. */
  ChangeNote note(AdminKey caller, JsonFields body) {
    return new ChangeNote(caller.id(), body.raw().toString());
  }

  ChangeNote note(AdminKey caller) {
    return new ChangeNote(caller.id(), "{}");
  }

  void send(ServerResponse res, int status, JsonNode body) throws JsonProcessingException {
    res.status(status);
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    res.send(json.writeValueAsBytes(body));
  }

  void ok(ServerResponse res, JsonNode body) throws JsonProcessingException {
    send(res, 200, body);
  }
}
