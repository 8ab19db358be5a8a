package dev.openwif.oidc;

import java.util.Objects;

/**
 * A document answered by an issuer: the HTTP status, the {@code Content-Type} (empty string when
 * absent) and the body as text.
 */
public record FetchedDocument(int status, String contentType, String body) {
  public FetchedDocument {
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(body, "body");
  }

  /**
   * True for a JSON media type ({@code application/json}, {@code application/jwk-set+json}, other
   * {@code +json}).
   */
  public boolean isJson() {
    String type = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
    return type.equals("application/json")
        || (type.startsWith("application/") && type.endsWith("+json"));
  }
}
