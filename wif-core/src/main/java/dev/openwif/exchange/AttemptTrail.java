package dev.openwif.exchange;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * What is known about one exchange attempt so far, for its audit event: filled in as the steps of
 * {@link TokenExchange} succeed. Holds the SHA-256 of the subject token, never the token. Confined
 * to the thread running the exchange.
 */
final class AttemptTrail {
  private static final int MAX_ID_CHARS = 100;

  final Optional<String> providerId;
  final Optional<String> serviceAccountId;
  final Optional<String> subjectTokenHash;
  final Optional<String> clientAddress;
  private Optional<String> externalSubject = Optional.empty();
  private Optional<String> ruleId = Optional.empty();

  private AttemptTrail(
      Optional<String> providerId,
      Optional<String> serviceAccountId,
      Optional<String> subjectTokenHash,
      Optional<String> clientAddress) {
    this.providerId = providerId;
    this.serviceAccountId = serviceAccountId;
    this.subjectTokenHash = subjectTokenHash;
    this.clientAddress = clientAddress;
  }

  static AttemptTrail of(ExchangeRequest request) {
    return new AttemptTrail(
        Optional.of(cut(request.identityProviderId())),
        Optional.of(cut(request.serviceAccountId())),
        Optional.of(sha256Hex(request.subjectToken())),
        request.clientAddress());
  }

  /** An attempt whose request could not be parsed: only the client address is known. */
  static AttemptTrail unparsed(Optional<String> clientAddress) {
    return new AttemptTrail(Optional.empty(), Optional.empty(), Optional.empty(), clientAddress);
  }

  void externalSubject(Optional<String> subject) {
    externalSubject = subject.map(AttemptTrail::cut);
  }

  void rule(String id) {
    ruleId = Optional.of(id);
  }

  Optional<String> externalSubject() {
    return externalSubject;
  }

  Optional<String> ruleId() {
    return ruleId;
  }

  /**
   * Hex SHA-256 of the token's UTF-8 bytes: lets an operator correlate a token they hold, reveals
   * nothing.
   */
  static String sha256Hex(String token) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  /** Client-supplied ids are cut so a hostile request cannot flood the audit log. */
  private static String cut(String value) {
    return value.length() <= MAX_ID_CHARS ? value : value.substring(0, MAX_ID_CHARS) + "...";
  }
}
