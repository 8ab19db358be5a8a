package dev.openwif.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openwif.federation.PreconditionFailedException;
import dev.openwif.federation.admin.Precondition;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Optimistic concurrency for admin objects, an OpenWIF extension: an object's strong entity tag is
 * derived from its representation (SHA-256 of the canonical JSON, members sorted), so it changes
 * whenever any field a client can see changes, and needs no stored version. {@code GET} and every
 * write answer it in {@code ETag}; an update or delete carrying {@code If-Match} is applied only
 * when one of the listed tags (or {@code *}) matches the object as stored, checked inside the
 * write's admin transaction (a {@link Precondition}); otherwise the answer is 412 and nothing
 * changes. Without {@code If-Match} writes are unconditional. Stateless and thread-safe.
 */
final class EntityTags {
  private EntityTags() {}

  /** The strong entity tag of {@code view}, quoted as it travels in {@code ETag}. */
  static String of(JsonNode view) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(canonical(view).toString().getBytes(StandardCharsets.UTF_8));
      return '"'
          + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 27)
          + '"';
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** Sets {@code ETag} on {@code res} for {@code view} and returns the view. */
  static JsonNode tagged(ServerResponse res, JsonNode view) {
    res.header(HeaderNames.ETAG, of(view));
    return view;
  }

  /**
   * The request's {@code If-Match} as a precondition on the stored object ({@code view} renders it
   * as the API shows it); none when the header is absent. A malformed header is a 400.
   */
  static <T> Precondition<T> ifMatch(ServerRequest req, Function<T, JsonNode> view) {
    List<String> values = req.headers().all(HeaderNames.IF_MATCH, List::of);
    if (values.isEmpty()) {
      return Precondition.none();
    }
    Optional<List<String>> tags = parse(String.join(",", values));
    if (tags.isEmpty()) {
      throw BadRequestException.field(
          "If-Match",
          "The If-Match header must be '*' or a comma-separated list of quoted entity tags, such"
              + " as the ETag a GET returned.");
    }
    List<String> accepted = tags.get();
    return current -> {
      if (accepted.contains("*")) {
        return;
      }
      String tag = of(view.apply(current));
      if (!accepted.contains(tag)) {
        throw new PreconditionFailedException(
            "The object has changed since the version named in If-Match; its current ETag is "
                + tag
                + ". Retrieve it again and retry.");
      }
    };
  }

  /**
   * The entity tags of an {@code If-Match} value: {@code *} alone, or quoted tags; weak tags
   * ({@code W/"..."}) are kept with their prefix, so they never match under the strong comparison
   * If-Match requires. Empty when malformed.
   */
  static Optional<List<String>> parse(String header) {
    String value = header.strip();
    if (value.equals("*")) {
      return Optional.of(List.of("*"));
    }
    List<String> tags = new ArrayList<>();
    for (String part : value.split(",", -1)) {
      String tag = part.strip();
      String quoted = tag.startsWith("W/") ? tag.substring(2) : tag;
      if (quoted.length() < 2
          || quoted.charAt(0) != '"'
          || quoted.charAt(quoted.length() - 1) != '"'
          || quoted.substring(1, quoted.length() - 1).indexOf('"') >= 0
          || quoted.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
        return Optional.empty();
      }
      tags.add(tag);
    }
    return Optional.of(List.copyOf(tags));
  }

  private static JsonNode canonical(JsonNode node) {
    if (node.isObject()) {
      TreeMap<String, JsonNode> sorted = new TreeMap<>();
      node.properties().forEach(e -> sorted.put(e.getKey(), canonical(e.getValue())));
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      sorted.forEach(out::set);
      return out;
    }
    if (node.isArray()) {
      var out = JsonNodeFactory.instance.arrayNode();
      node.forEach(element -> out.add(canonical(element)));
      return out;
    }
    return node;
  }
}
