package dev.openwif.server.gateway;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which headers cross the proxy, each way (names compared case-insensitively).
 *
 * <ul>
 *   <li>To the upstream: everything the client sent except hop-by-hop headers (RFC 9110 §7.6.1:
 *       {@code Connection}, {@code Keep-Alive}, {@code Proxy-*}, {@code TE}, {@code Trailer},
 *       {@code Transfer-Encoding}, {@code Upgrade} and any named in {@code Connection}), {@code
 *       Host}, {@code Content-Length} (the HTTP client sets it from the body), {@code Expect},
 *       {@code Accept-Encoding} (so bodies come back as sent, readable by the client), {@code
 *       Cookie}, {@code OpenAI-Organization} and {@code OpenAI-Project} (the operator's key decides
 *       those, not the workload) and {@code Authorization}: the workload's access token never
 *       leaves OpenWIF; the proxy sets the upstream key itself.
 *   <li>To the client: only {@code Content-Type}, {@code Content-Length}, {@code
 *       Content-Disposition}, {@code Cache-Control}, {@code Retry-After}, {@code Retry-After-Ms},
 *       {@code x-should-retry}, {@code x-request-id}, {@code openai-*} (but not {@code
 *       openai-organization} / {@code openai-project}) and {@code x-ratelimit-*}.
 * </ul>
 *
 * Thread-safe (no state).
 */
final class ProxyHeaders {
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-authenticate",
          "proxy-authorization",
          "proxy-connection",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "http2-settings");
  private static final Set<String> NEVER_UPSTREAM =
      Set.of(
          "host",
          "authorization",
          "content-length",
          "expect",
          "accept-encoding",
          "cookie",
          "openai-organization",
          "openai-project",
          // an upstream behind a generic framework may honour these, turning a GET the scope
          // table saw into a DELETE it did not
          "x-http-method-override",
          "x-http-method",
          "x-method-override");
  private static final Set<String> BACK_TO_CLIENT =
      Set.of(
          "content-type",
          "content-length",
          "content-disposition",
          "cache-control",
          "retry-after",
          "retry-after-ms",
          "x-should-retry",
          "x-request-id");

  private ProxyHeaders() {}

  /** The client's headers to send upstream (without {@code Authorization}, see above). */
  static Map<String, List<String>> toUpstream(Map<String, List<String>> fromClient) {
    Set<String> listed = connectionListed(fromClient);
    Map<String, List<String>> out = new LinkedHashMap<>();
    fromClient.forEach(
        (name, values) -> {
          String lower = name.toLowerCase(Locale.ROOT);
          if (!lower.startsWith(":")
              && !HOP_BY_HOP.contains(lower)
              && !lower.startsWith("proxy-")
              && !NEVER_UPSTREAM.contains(lower)
              && !listed.contains(lower)) {
            out.put(name, List.copyOf(values));
          }
        });
    return out;
  }

  /** The upstream's response headers to give the client. */
  static Map<String, List<String>> toClient(Map<String, List<String>> fromUpstream) {
    Set<String> listed = connectionListed(fromUpstream);
    Map<String, List<String>> out = new LinkedHashMap<>();
    fromUpstream.forEach(
        (name, values) -> {
          String lower = name.toLowerCase(Locale.ROOT);
          // The operator's organization and project ids stay with the operator: the request side
          // drops them too.
          boolean allowed =
              (BACK_TO_CLIENT.contains(lower)
                      || lower.startsWith("openai-")
                      || lower.startsWith("x-ratelimit-"))
                  && !lower.equals("openai-organization")
                  && !lower.equals("openai-project");
          if (allowed && !listed.contains(lower)) {
            out.put(name, List.copyOf(values));
          }
        });
    return out;
  }

  /**
   * The header names a {@code Connection} header lists (hop-by-hop by declaration); no allocation
   * when there is none (the usual case on every proxied request and response).
   */
  private static Set<String> connectionListed(Map<String, List<String>> headers) {
    Set<String> listed = Set.of();
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      if (!header.getKey().equalsIgnoreCase("connection")) {
        continue;
      }
      for (String value : header.getValue()) {
        for (String token : value.split(",", -1)) {
          String name = token.strip();
          if (!name.isEmpty()) {
            if (listed.isEmpty()) {
              listed = new HashSet<>();
            }
            listed.add(name.toLowerCase(Locale.ROOT));
          }
        }
      }
    }
    return listed;
  }
}
