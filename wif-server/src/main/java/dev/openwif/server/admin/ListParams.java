package dev.openwif.server.admin;

import dev.openwif.federation.PageRequest;
import io.helidon.webserver.http.ServerRequest;
import java.time.Instant;
import java.util.Optional;

/**
 * Reads the list query parameters of the admin API: {@code limit} (1..100, default 20), {@code
 * after} (an object id) and {@code order} ({@code asc}, the default, or {@code desc}). Bad values
 * are 400 naming the parameter. Stateless.
 */
final class ListParams {
  static final int DEFAULT_LIMIT = 20;

  private ListParams() {}

  static PageRequest page(ServerRequest req) {
    return new PageRequest(limit(req), after(req), order(req));
  }

  static int limit(ServerRequest req) {
    Optional<String> raw = query(req, "limit");
    if (raw.isEmpty()) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(raw.get().strip());
      if (limit >= 1 && limit <= 100) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw BadRequestException.field("limit", "limit must be an integer between 1 and 100.");
  }

  static Optional<String> after(ServerRequest req) {
    Optional<String> after = query(req, "after");
    if (after.isPresent()
        && (after.get().isEmpty() || after.get().length() > 128 || hasControl(after.get()))) {
      throw BadRequestException.field("after", "after must be an object id.");
    }
    return after;
  }

  private static PageRequest.SortOrder order(ServerRequest req) {
    return switch (query(req, "order").orElse("asc")) {
      case "asc" -> PageRequest.SortOrder.ASC;
      case "desc" -> PageRequest.SortOrder.DESC;
      default -> throw BadRequestException.field("order", "order must be 'asc' or 'desc'.");
    };
  }

  /** An optional id in the query string; control characters are a 400 naming it. */
  static Optional<String> id(ServerRequest req, String name) {
    Optional<String> id = query(req, name);
    if (id.isPresent() && hasControl(id.get())) {
      throw BadRequestException.field(name, name + " must be an object id.");
    }
    return id;
  }

  /**
   * Whether {@code value} holds a C0 control character (U+0000..U+001F), which no object id has.
   */
  static boolean hasControl(String value) {
    return value.chars().anyMatch(c -> c < 0x20);
  }

  /** 9999-12-31T23:59:59Z: later instants overflow epoch milliseconds in the store. */
  static final long MAX_SECONDS = 253_402_300_799L;

  /**
   * The query parameter {@code name} as a Unix time in seconds (0 to {@value #MAX_SECONDS}).
   *
   * @throws BadRequestException naming {@code name} when it is not one
   */
  static Optional<Instant> unixTime(ServerRequest req, String name) {
    return query(req, name)
        .map(
            v -> {
              try {
                long seconds = Long.parseLong(v.strip());
                if (seconds >= 0 && seconds <= MAX_SECONDS) {
                  return Instant.ofEpochSecond(seconds);
                }
              } catch (NumberFormatException e) {
                // reported below
              }
              throw BadRequestException.field(
                  name,
                  name + " must be a Unix time in seconds between 0 and " + MAX_SECONDS + ".");
            });
  }

  static Optional<String> query(ServerRequest req, String name) {
    var value = req.query().first(name);
    return value.isPresent() ? Optional.of(value.get()) : Optional.empty();
  }
}
