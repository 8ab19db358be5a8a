package dev.openwif.server.sts;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.openwif.exchange.ExchangeRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parses the body of {@code POST /oauth/token} (RFC 8693 §2.1) from JSON (what the OpenAI SDKs
 * send) or {@code application/x-www-form-urlencoded} (RFC 6749 §4.1.3, what standard OAuth clients
 * send).
 *
 * <p>Strict where ambiguity could be abused: a parameter given twice (RFC 6749 §3.2: "MUST NOT be
 * included more than once"), a duplicate JSON member, a non-string value, invalid UTF-8 or
 * percent-encoding are all {@code invalid_request}. An empty value counts as absent (RFC 6749
 * §3.1). Unknown parameters are ignored (RFC 6749 §3.2). A request of another grant that lacks the
 * token-exchange parameters is reported as {@code unsupported_grant_type} rather than as missing
 * parameters; a complete request is handed to the exchange, which checks the values of {@code
 * grant_type} and {@code subject_token_type} and audits the refusal with everything known
 * (provider, account, token hash). {@code identity_provider_id} and {@code service_account_id} are
 * at most 128 characters and {@code client_id} at most 256 printable ASCII characters, else {@code
 * invalid_request} naming the parameter. Thread-safe (stateless apart from an immutable mapper).
 */
final class TokenRequestParser {
  static final String GRANT_TYPE = "grant_type";
  static final String SUBJECT_TOKEN = "subject_token";
  static final String SUBJECT_TOKEN_TYPE = "subject_token_type";
  static final String IDENTITY_PROVIDER_ID = "identity_provider_id";
  static final String SERVICE_ACCOUNT_ID = "service_account_id";
  static final String CLIENT_ID = "client_id";

  /** Longest {@code identity_provider_id} or {@code service_account_id} accepted. */
  static final int MAX_ID_LENGTH = 128;

  /** Longest {@code client_id} accepted; it must also be printable ASCII (0x21-0x7E). */
  static final int MAX_CLIENT_ID_LENGTH = 256;

  /**
   * Refuses a repeated member at any depth while building the tree (one pass); {@link
   * #firstRepeatedMember} names it afterwards, on that rare path only.
   */
  private final ObjectMapper json =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  /** A parser factory without duplicate detection, for {@link #firstRepeatedMember}. */
  private final JsonFactory streaming = new JsonFactory();

  TokenRequest parse(Optional<String> contentType, byte[] body, Optional<String> clientAddress) {
    String mediaType = contentType.map(FormBody::mediaType).orElse("");
    Map<String, String> params;
    try {
      params =
          switch (mediaType) {
            case "application/json" -> jsonParameters(body);
            case "application/x-www-form-urlencoded" -> FormBody.parameters(body);
            default ->
                throw new FormBody.Malformed(
                    "Content-Type must be application/json or application/x-www-form-urlencoded.");
          };
    } catch (FormBody.Malformed e) {
      return new TokenRequest.Malformed(e.getMessage());
    }
    for (String required :
        new String[] {
          GRANT_TYPE, SUBJECT_TOKEN, SUBJECT_TOKEN_TYPE, IDENTITY_PROVIDER_ID, SERVICE_ACCOUNT_ID
        }) {
      if (!params.containsKey(required)) {
        String grantType = params.get(GRANT_TYPE);
        return grantType != null && !grantType.equals(ExchangeRequest.TOKEN_EXCHANGE_GRANT)
            ? new TokenRequest.UnsupportedGrant(grantType)
            : new TokenRequest.Malformed("Missing required parameter: " + required + ".");
      }
    }
    Optional<String> tooLong = oversizedIdentifier(params);
    if (tooLong.isPresent()) {
      return new TokenRequest.Malformed(tooLong.get());
    }
    return new TokenRequest.Parsed(
        new ExchangeRequest(
            present(params, GRANT_TYPE),
            present(params, SUBJECT_TOKEN),
            present(params, SUBJECT_TOKEN_TYPE),
            present(params, IDENTITY_PROVIDER_ID),
            present(params, SERVICE_ACCOUNT_ID),
            Optional.ofNullable(params.get(CLIENT_ID)),
            clientAddress));
  }

  /**
   * Identifiers are bounded before they reach the rate limiter, the audit log or a minted token: an
   * oversized {@code client_id} would make an access token too long for the verifier to accept.
   */
  private static Optional<String> oversizedIdentifier(Map<String, String> params) {
    for (String name : new String[] {IDENTITY_PROVIDER_ID, SERVICE_ACCOUNT_ID}) {
      if (present(params, name).length() > MAX_ID_LENGTH) {
        return Optional.of(
            "Parameter " + name + " is longer than " + MAX_ID_LENGTH + " characters.");
      }
    }
    String clientId = params.get(CLIENT_ID);
    if (clientId != null
        && (clientId.length() > MAX_CLIENT_ID_LENGTH
            || !clientId.chars().allMatch(c -> c >= 0x21 && c <= 0x7E))) {
      return Optional.of(
          "Parameter "
              + CLIENT_ID
              + " must be at most "
              + MAX_CLIENT_ID_LENGTH
              + " printable ASCII characters without spaces.");
    }
    return Optional.empty();
  }

  private Map<String, String> jsonParameters(byte[] body) {
    String text = FormBody.strictUtf8(body);
    JsonNode root;
    try {
      root = json.readTree(text);
    } catch (JsonProcessingException e) {
      // the strict tree parser stops at a repeat or a syntax error, whichever comes first: name
      // the repeat when that is what stopped it
      Optional<String> repeated = firstRepeatedMember(text);
      if (repeated.isPresent()) {
        throw new FormBody.Malformed(
            "The JSON body repeats a member: '" + FormBody.shown(repeated.get()) + "'.");
      }
      throw new FormBody.Malformed("The body is not valid JSON.");
    }
    if (root == null || !root.isObject()) {
      throw new FormBody.Malformed("The JSON body must be an object.");
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> member : root.properties()) {
      JsonNode value = member.getValue();
      if (value.isNull()) {
        continue;
      }
      if (!value.isTextual()) {
        if (isKnown(member.getKey())) {
          throw new FormBody.Malformed(
              "Parameter " + FormBody.shown(member.getKey()) + " must be a string.");
        }
        continue;
      }
      if (!value.textValue().isEmpty()) {
        params.put(member.getKey(), value.textValue());
      }
    }
    return params;
  }

  /**
   * The first member name repeated within one object of the first JSON value, found while streaming
   * through it (so a repeat before a syntax error is reported as a repeat, as a strict parser
   * would).
   */
  private Optional<String> firstRepeatedMember(String text) {
    try (JsonParser parser = streaming.createParser(text)) {
      // one entry per open object or array; an object's names are collected once it has one
      List<Set<String>> open = new ArrayList<>();
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        switch (token) {
          case START_OBJECT, START_ARRAY -> open.add(null);
          case END_OBJECT, END_ARRAY -> open.removeLast();
          case FIELD_NAME -> {
            Set<String> names = open.getLast();
            if (names == null) {
              names = new HashSet<>();
              open.set(open.size() - 1, names);
            }
            if (!names.add(parser.currentName())) {
              return Optional.of(parser.currentName());
            }
          }
          default -> {}
        }
        if (open.isEmpty()) {
          return Optional.empty();
        }
      }
      return Optional.empty();
    } catch (JsonProcessingException e) {
      return Optional.empty(); // a syntax error before any repeat
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isKnown(String name) {
    return switch (name) {
      case GRANT_TYPE,
          SUBJECT_TOKEN,
          SUBJECT_TOKEN_TYPE,
          IDENTITY_PROVIDER_ID,
          SERVICE_ACCOUNT_ID,
          CLIENT_ID ->
          true;
      default -> false;
    };
  }

  /** A parameter whose presence {@link #parse} checked before. */
  private static String present(Map<String, String> params, String name) {
    String value = params.get(name);
    if (value == null) {
      throw new IllegalStateException("required parameter " + name + " was not checked");
    }
    return value;
  }
}
