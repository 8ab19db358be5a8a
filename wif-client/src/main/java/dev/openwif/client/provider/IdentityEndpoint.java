package dev.openwif.client.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** The one GET every HTTP-based provider makes: headers, a timeout, a 200 or a clear error. */
final class IdentityEndpoint {
  private static final ObjectMapper JSON = new ObjectMapper();

  private IdentityEndpoint() {}

  static HttpClient defaultClient(Duration timeout) {
    return HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(timeout)
        .build();
  }

  /** GETs {@code uri} and returns the body of a 200; otherwise an error naming {@code what}. */
  static String get(
      HttpClient http, URI uri, Map<String, String> headers, Duration timeout, String what)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
    headers.forEach(request::header);
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IOException(what + " request to " + withoutQuery(uri) + " failed: " + e, e);
    }
    if (response.statusCode() != 200) {
      throw new IOException(
          what + " token request failed with status " + response.statusCode() + ".");
    }
    return response.body();
  }

  /**
   * Reads the text field {@code field} of a JSON body; an error naming {@code what} if absent or
   * empty.
   */
  static String jsonField(String body, String field, String what) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw new IOException(what + " returned a body that is not JSON.");
    }
    JsonNode value = root == null ? null : root.get(field);
    if (value == null || !value.isTextual() || value.asText().trim().isEmpty()) {
      throw new IOException(
          what + " did not return a token (no \"" + field + "\" in its response).");
    }
    return value.asText().trim();
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String withoutQuery(URI uri) {
    return uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
  }
}
