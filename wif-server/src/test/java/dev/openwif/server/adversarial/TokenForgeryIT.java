package dev.openwif.server.adversarial;

import static dev.openwif.server.adversarial.Forge.b64;
import static dev.openwif.server.adversarial.Forge.concat;
import static dev.openwif.server.adversarial.Forge.refused;
import static dev.openwif.server.adversarial.Forge.segments;
import static dev.openwif.server.adversarial.Forge.valid;
import static dev.openwif.server.adversarial.Forge.withSignature;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import dev.openwif.audit.ReasonCode;
import dev.openwif.testkit.TestKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Forged and malformed subject tokens against a running server (RFC 8725 §2-3 attacks): {@code alg:
 * none} in every casing, HMAC keyed with the issuer's RSA public key,
 * stripped/truncated/bit-flipped signatures, ECDSA "psychic" signatures (CVE-2022-21449), another
 * key under the issuer's {@code kid}, unknown and injected {@code kid}s, attacker keys via {@code
 * jwk}/{@code jku}/{@code x5u}/{@code x5c}, {@code crit}, JWE and nested JWTs, duplicate JSON
 * members, invalid base64url, wrong segment counts, sizes and nesting depth. Each case asserts 401
 * {@code invalid_grant}, no access token and the exact audit reason.
 */
@ExtendWith(AdversarialCases.class)
class TokenForgeryIT {
  @TempDir static Path dir;
  static Arena arena;
  static ECKey ecKey;

  @BeforeAll
  static void start() {
    arena = Arena.start(dir);
    ecKey = TestKeys.ec256();
    arena.issuer.addKey(ecKey);
    arena.uploaded();
  }

  @AfterAll
  static void stop() {
    arena.close();
  }

  @Test
  void exchangeWhenGenuineRs256TokenThenIssued() {
    arena.assertIssued(valid(arena).build());
  }

  @Test
  void exchangeWhenGenuineEs256TokenThenIssued() {
    arena.assertIssued(Forge.ecValid(arena, ecKey).build());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("algNone")
  void exchangeWhenAlgNoneThenRefused(Forge.Case c) {
    arena.assertTokenRefused(c.token().apply(arena), c.reason());
  }

  static Stream<Forge.Case> algNone() {
    return Stream.of("none", "None", "NONE", "nOnE", "NoNe", "")
        .flatMap(
            alg ->
                Stream.of(
                    refused(
                        "alg '" + alg + "', empty signature",
                        ReasonCode.ALG_NOT_ALLOWED,
                        a -> valid(a).alg(alg).unsigned()),
                    refused(
                        "alg '" + alg + "', RS256 signature kept",
                        ReasonCode.ALG_NOT_ALLOWED,
                        a -> valid(a).alg(alg).signingAlg("RS256").build())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("algConfusion")
  void exchangeWhenAlgorithmConfusedThenRefused(Forge.Case c) {
    arena.assertTokenRefused(c.token().apply(arena), c.reason());
  }

  static Stream<Forge.Case> algConfusion() {
    return Stream.of(
        refused(
            "HS256 keyed with the issuer's RSA public key (PEM)",
            ReasonCode.ALG_NOT_ALLOWED,
            a -> valid(a).alg("HS256").hmacSecret(Forge.pem(a.issuer.currentKey())).build()),
        refused(
            "HS256 keyed with the issuer's RSA public key (DER)",
            ReasonCode.ALG_NOT_ALLOWED,
            a -> valid(a).alg("HS256").hmacSecret(Forge.der(a.issuer.currentKey())).build()),
        refused(
            "HS384 keyed with the issuer's JWKS text",
            ReasonCode.ALG_NOT_ALLOWED,
            a ->
                valid(a)
                    .alg("HS384")
                    .hmacSecret(a.issuer.jwksJson().getBytes(StandardCharsets.UTF_8))
                    .build()),
        refused(
            "HS512 keyed with the RSA modulus",
            ReasonCode.ALG_NOT_ALLOWED,
            a ->
                valid(a)
                    .alg("HS512")
                    .hmacSecret(a.issuer.currentKey().getModulus().decode())
                    .build()),
        refused(
            "alg RS1 (not on the allow-list)",
            ReasonCode.ALG_NOT_ALLOWED,
            a -> valid(a).alg("RS1").signingAlg("RS256").build()),
        refused(
            "alg rs256 in lower case",
            ReasonCode.ALG_NOT_ALLOWED,
            a -> valid(a).alg("rs256").signingAlg("RS256").build()),
        refused(
            "alg as a number",
            ReasonCode.ALG_NOT_ALLOWED,
            a -> valid(a).header("alg", 256).signingAlg("RS256").build()),
        refused(
            "alg missing",
            ReasonCode.ALG_NOT_ALLOWED,
            a -> valid(a).withoutHeader("alg").signingAlg("RS256").build()),
        refused(
            "header RS512, signed RS256",
            ReasonCode.SIGNATURE_INVALID,
            a -> valid(a).alg("RS512").signingAlg("RS256").build()),
        refused(
            "header RS256, signed PS256",
            ReasonCode.SIGNATURE_INVALID,
            a -> valid(a).alg("RS256").signingAlg("PS256").build()),
        refused(
            "header ES256 naming the RSA key",
            ReasonCode.KEY_ALG_MISMATCH,
            a -> valid(a).alg("ES256").signWith(ecKey).build()),
        refused(
            "header RS256 naming the EC key",
            ReasonCode.KEY_ALG_MISMATCH,
            a -> valid(a).kid(ecKey.getKeyID()).build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSignatures")
  void exchangeWhenSignatureTamperedThenRefused(Forge.Case c) {
    arena.assertTokenRefused(c.token().apply(arena), c.reason());
  }

  static Stream<Forge.Case> badSignatures() {
    byte[] n = Forge.p256Order();
    return Stream.of(
        refused(
            "signature stripped (empty third segment)",
            ReasonCode.SIGNATURE_INVALID,
            a -> valid(a).rawSignature("").build()),
        refused(
            "signature truncated by 2 bytes",
            ReasonCode.SIGNATURE_INVALID,
            a -> {
              String t = valid(a).build();
              byte[] sig = Forge.unb64(segments(t)[2]);
              return withSignature(t, Arrays.copyOf(sig, sig.length - 2));
            }),
        refused(
            "signature truncated to 1 byte",
            ReasonCode.SIGNATURE_INVALID,
            a -> {
              String t = valid(a).build();
              return withSignature(t, Arrays.copyOf(Forge.unb64(segments(t)[2]), 1));
            }),
        refused(
            "first signature bit flipped",
            ReasonCode.SIGNATURE_INVALID,
            a -> Forge.flipBit(valid(a).build(), 2, 0)),
        refused(
            "last signature bit flipped",
            ReasonCode.SIGNATURE_INVALID,
            a -> Forge.flipBit(valid(a).build(), 2, -1)),
        refused(
            "payload bit flipped after signing",
            ReasonCode.SIGNATURE_INVALID,
            a -> {
              String t = valid(a).build();
              String[] s = segments(t);
              String payload =
                  new String(Forge.unb64(s[1]), StandardCharsets.UTF_8)
                      .replace("workload-1", "workload-2");
              return s[0] + "." + b64(payload) + "." + s[2];
            }),
        refused(
            "signature of another token",
            ReasonCode.SIGNATURE_INVALID,
            a -> {
              String other = valid(a).claim("sub", "someone-else").build();
              String t = valid(a).build();
              return withSignature(t, Forge.unb64(segments(other)[2]));
            }),
        refused(
            "signature all zero bytes (RSA length)",
            ReasonCode.SIGNATURE_INVALID,
            a -> withSignature(valid(a).build(), new byte[256])),
        refused(
            "ES256 r = s = 0",
            ReasonCode.SIGNATURE_INVALID,
            a -> withSignature(Forge.ecValid(a, ecKey).build(), new byte[64])),
        refused(
            "ES256 r = s = n (psychic signature)",
            ReasonCode.SIGNATURE_INVALID,
            a -> withSignature(Forge.ecValid(a, ecKey).build(), concat(n, n))),
        refused(
            "ES256 r = n, s = 0",
            ReasonCode.SIGNATURE_INVALID,
            a -> withSignature(Forge.ecValid(a, ecKey).build(), concat(n, new byte[32]))),
        refused(
            "ES256 r = 0, genuine s",
            ReasonCode.SIGNATURE_INVALID,
            a -> {
              String t = Forge.ecValid(a, ecKey).build();
              byte[] sig = Forge.unb64(segments(t)[2]);
              Arrays.fill(sig, 0, 32, (byte) 0);
              return withSignature(t, sig);
            }),
        refused(
            "ES256 signature in DER instead of JOSE form",
            ReasonCode.SIGNATURE_INVALID,
            a -> {
              String t = Forge.ecValid(a, ecKey).build();
              byte[] sig = Forge.unb64(segments(t)[2]);
              try {
                return withSignature(
                    t, com.nimbusds.jose.crypto.impl.ECDSA.transcodeSignatureToDER(sig));
              } catch (com.nimbusds.jose.JOSEException e) {
                throw new IllegalStateException(e);
              }
            }),
        refused(
            "ES256 signature 1 byte long",
            ReasonCode.SIGNATURE_INVALID,
            a -> withSignature(Forge.ecValid(a, ecKey).build(), new byte[] {1})),
        refused(
            "another RSA key under the issuer's kid",
            ReasonCode.SIGNATURE_INVALID,
            a -> valid(a).signWith(TestKeys.rsa(a.issuer.currentKey().getKeyID())).build()),
        refused(
            "another EC key under the EC kid",
            ReasonCode.SIGNATURE_INVALID,
            a -> Forge.ecValid(a, ecKey).signWith(TestKeys.ec256(ecKey.getKeyID())).build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kids")
  void exchangeWhenKidUnknownOrInjectedThenRefused(Forge.Case c) {
    arena.assertTokenRefused(c.token().apply(arena), c.reason());
  }

  static Stream<Forge.Case> kids() {
    return Stream.of(
        refused("kid unknown", ReasonCode.KID_UNKNOWN, a -> valid(a).kid("no-such-key").build()),
        refused(
            "kid of an attacker key, signed by it",
            ReasonCode.KID_UNKNOWN,
            a -> {
              RSAKey attacker = TestKeys.rsa();
              return valid(a).signWith(attacker).kid(attacker.getKeyID()).build();
            }),
        refused(
            "kid path traversal",
            ReasonCode.KID_UNKNOWN,
            a -> valid(a).kid("../../../../etc/passwd").build()),
        refused(
            "kid SQL injection", ReasonCode.KID_UNKNOWN, a -> valid(a).kid("x' OR '1'='1").build()),
        refused(
            "kid URL",
            ReasonCode.KID_UNKNOWN,
            a -> valid(a).kid("https://attacker.example/jwks.json").build()),
        refused(
            "kid with NUL and newline",
            ReasonCode.KID_UNKNOWN,
            a -> valid(a).kid(a.issuer.currentKey().getKeyID() + "\u0000\n").build()),
        refused(
            "kid 10 000 characters",
            ReasonCode.KID_UNKNOWN,
            a -> valid(a).kid("k".repeat(10_000)).build()),
        refused(
            "kid issuer's kid in upper case",
            ReasonCode.KID_UNKNOWN,
            a ->
                valid(a)
                    .kid(a.issuer.currentKey().getKeyID().toUpperCase(java.util.Locale.ROOT))
                    .build()),
        refused("kid empty", ReasonCode.KID_MISSING, a -> valid(a).kid("").build()),
        refused("kid null", ReasonCode.KID_MISSING, a -> valid(a).header("kid", null).build()),
        refused("kid a number", ReasonCode.KID_MISSING, a -> valid(a).header("kid", 1).build()),
        refused(
            "kid an array of the right kid",
            ReasonCode.KID_MISSING,
            a -> valid(a).header("kid", List.of(a.issuer.currentKey().getKeyID())).build()),
        refused("kid missing", ReasonCode.KID_MISSING, a -> valid(a).withoutHeader("kid").build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("headers")
  void exchangeWhenHeaderCarriesKeysOrExtensionsThenRefused(Forge.Case c) {
    arena.assertTokenRefused(c.token().apply(arena), c.reason());
  }

  static Stream<Forge.Case> headers() {
    return Stream.of(
        refused(
            "embedded jwk of the attacker's signing key",
            ReasonCode.FORBIDDEN_HEADER,
            a -> {
              RSAKey attacker = TestKeys.rsa();
              return valid(a)
                  .signWith(attacker)
                  .kid(attacker.getKeyID())
                  .header("jwk", attacker.toPublicJWK().toJSONObject())
                  .build();
            }),
        refused(
            "embedded jwk, issuer's kid, genuine signature",
            ReasonCode.FORBIDDEN_HEADER,
            a ->
                valid(a).header("jwk", a.issuer.currentKey().toPublicJWK().toJSONObject()).build()),
        refused(
            "jku to an attacker URL",
            ReasonCode.FORBIDDEN_HEADER,
            a -> valid(a).header("jku", "https://attacker.example/jwks.json").build()),
        refused(
            "jku to the issuer's own JWKS",
            ReasonCode.FORBIDDEN_HEADER,
            a -> valid(a).header("jku", a.issuer.jwksUrl()).build()),
        refused(
            "x5u to an attacker URL",
            ReasonCode.FORBIDDEN_HEADER,
            a -> valid(a).header("x5u", "https://attacker.example/cert.pem").build()),
        refused(
            "x5c with a certificate chain",
            ReasonCode.FORBIDDEN_HEADER,
            a -> valid(a).header("x5c", List.of("MIIBszCCAVmgAwIBAgIUQ")).build()),
        refused(
            "crit naming exp",
            ReasonCode.CRIT_PRESENT,
            a -> valid(a).header("crit", List.of("exp")).build()),
        refused(
            "crit naming b64 (RFC 7797)",
            ReasonCode.CRIT_PRESENT,
            a -> valid(a).header("crit", List.of("b64")).header("b64", false).build()),
        refused(
            "crit naming an unknown extension",
            ReasonCode.CRIT_PRESENT,
            a ->
                valid(a)
                    .header("crit", List.of("urn:example:ext"))
                    .header("urn:example:ext", 1)
                    .build()),
        refused(
            "crit empty", ReasonCode.CRIT_PRESENT, a -> valid(a).header("crit", List.of()).build()),
        refused(
            "JWE compact serialization (5 segments)",
            ReasonCode.UNSUPPORTED_TOKEN_FORMAT,
            a ->
                b64(
                        "{\"alg\":\"RSA-OAEP-256\",\"enc\":\"A256GCM\",\"kid\":\""
                            + a.issuer.currentKey().getKeyID()
                            + "\"}")
                    + "."
                    + b64("key")
                    + "."
                    + b64("iv-iv-iv-iv")
                    + "."
                    + b64("ciphertext")
                    + "."
                    + b64("tag")),
        refused(
            "JWE header (enc) in 3 segments",
            ReasonCode.UNSUPPORTED_TOKEN_FORMAT,
            a -> valid(a).header("enc", "A256GCM").build()),
        refused(
            "nested JWT (cty JWT)",
            ReasonCode.UNSUPPORTED_TOKEN_FORMAT,
            a -> valid(a).header("cty", "JWT").build()),
        refused(
            "nested JWT (cty jwt, lower case)",
            ReasonCode.UNSUPPORTED_TOKEN_FORMAT,
            a -> valid(a).header("cty", "jwt").build()),
        refused(
            "nested JWT as the payload without cty",
            ReasonCode.MALFORMED_TOKEN,
            a -> valid(a).rawPayloadJson(valid(a).build()).build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("structure")
  void exchangeWhenStructureMalformedThenRefused(Forge.Case c) {
    arena.assertTokenRefused(c.token().apply(arena), c.reason());
  }

  static Stream<Forge.Case> structure() {
    return Stream.of(
        refused(
            "duplicate sub in payload",
            ReasonCode.DUPLICATE_JSON_MEMBER,
            a ->
                valid(a)
                    .rawPayloadJson(payloadJson(a).replace("{", "{\"sub\":\"intruder\","))
                    .build()),
        refused(
            "duplicate sub spelled with a \\u escape",
            ReasonCode.DUPLICATE_JSON_MEMBER,
            a ->
                valid(a)
                    .rawPayloadJson(payloadJson(a).replace("{", "{\"s\\u0075b\":\"intruder\","))
                    .build()),
        refused(
            "duplicate alg in header",
            ReasonCode.DUPLICATE_JSON_MEMBER,
            a ->
                valid(a)
                    .rawHeaderJson(
                        "{\"alg\":\"none\",\"alg\":\"RS256\",\"kid\":\""
                            + a.issuer.currentKey().getKeyID()
                            + "\"}")
                    .signingAlg("RS256")
                    .build()),
        refused(
            "duplicate member in a nested claim",
            ReasonCode.DUPLICATE_JSON_MEMBER,
            a ->
                valid(a)
                    .rawPayloadJson(payloadJson(a).replace("{", "{\"o\":{\"a\":1,\"a\":2},"))
                    .build()),
        refused(
            "header with base64 padding",
            ReasonCode.MALFORMED_TOKEN,
            a -> {
              String[] s = segments(valid(a).build());
              return s[0] + "==." + s[1] + "." + s[2];
            }),
        refused(
            "payload in standard base64 (+ and /)",
            ReasonCode.MALFORMED_TOKEN,
            a -> {
              String[] s = segments(valid(a).build());
              return s[0] + "." + s[1].replace('-', '+').replace('_', '/') + "+/." + s[2];
            }),
        refused(
            "whitespace inside the payload segment",
            ReasonCode.MALFORMED_TOKEN,
            a -> {
              String[] s = segments(valid(a).build());
              return s[0] + "." + s[1].substring(0, 4) + " " + s[1].substring(4) + "." + s[2];
            }),
        refused(
            "non-canonical trailing bits in the signature",
            ReasonCode.MALFORMED_TOKEN,
            a -> {
              String[] s = segments(valid(a).build());
              // 256 signature bytes end in 2 base64 characters; the last one carries 4 unused bits,
              // set one
              String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
              String sig = s[2];
              int last = alphabet.indexOf(sig.charAt(sig.length() - 1));
              return s[0]
                  + "."
                  + s[1]
                  + "."
                  + sig.substring(0, sig.length() - 1)
                  + alphabet.charAt(last | 1);
            }),
        refused(
            "header is not JSON",
            ReasonCode.MALFORMED_TOKEN,
            a -> b64("not json") + "." + b64("{}") + ".c2ln"),
        refused(
            "header is a JSON array",
            ReasonCode.MALFORMED_TOKEN,
            a -> b64("[\"RS256\"]") + "." + b64("{}") + ".c2ln"),
        refused(
            "header is not UTF-8",
            ReasonCode.MALFORMED_TOKEN,
            a -> Forge.b64(new byte[] {(byte) 0xc3, (byte) 0x28}) + "." + b64("{}") + ".c2ln"),
        refused(
            "two segments",
            ReasonCode.MALFORMED_TOKEN,
            a -> {
              String[] s = segments(valid(a).build());
              return s[0] + "." + s[1];
            }),
        refused(
            "four segments",
            ReasonCode.MALFORMED_TOKEN,
            a -> valid(a).build() + "." + b64("extra")),
        refused("trailing dot", ReasonCode.MALFORMED_TOKEN, a -> valid(a).build() + "."),
        refused("six segments", ReasonCode.MALFORMED_TOKEN, a -> valid(a).build() + ".a.b.c"),
        refused("one segment", ReasonCode.MALFORMED_TOKEN, a -> segments(valid(a).build())[1]),
        refused("a single space", ReasonCode.MALFORMED_TOKEN, a -> " "),
        refused("leading whitespace", ReasonCode.MALFORMED_TOKEN, a -> " " + valid(a).build()),
        refused(
            "17 KiB token (over the 16 KiB cap)",
            ReasonCode.TOKEN_TOO_LARGE,
            a -> valid(a).claim("pad", "p".repeat(17 * 1024)).build()),
        refused(
            "claims nested 33 deep",
            ReasonCode.MALFORMED_TOKEN,
            a ->
                valid(a)
                    .rawPayloadJson(
                        payloadJson(a)
                            .replace("{", "{\"deep\":" + "[".repeat(33) + "]".repeat(33) + ","))
                    .build()),
        refused(
            "claims nested 800 deep",
            ReasonCode.MALFORMED_TOKEN,
            a ->
                valid(a)
                    .rawPayloadJson(
                        payloadJson(a)
                            .replace(
                                "{",
                                "{\"deep\":" + "{\"a\":".repeat(800) + "1" + "}".repeat(800) + ","))
                    .build()),
        refused(
            "claim with an exponent beyond any number type (1e99999999999)",
            ReasonCode.MALFORMED_TOKEN,
            a ->
                valid(a)
                    .rawPayloadJson(payloadJson(a).replace("{", "{\"big\":1e99999999999,"))
                    .build()),
        refused(
            "header number with an exponent beyond any number type (1E+99999999999)",
            ReasonCode.MALFORMED_TOKEN,
            a ->
                b64("{\"alg\":\"RS256\",\"kid\":\"k\",\"x\":1E+99999999999}")
                    + "."
                    + b64("{}")
                    + ".c2ln"),
        refused(
            "header nested 5000 deep",
            ReasonCode.MALFORMED_TOKEN,
            a ->
                b64("{\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}")
                    + "."
                    + b64("{}")
                    + ".c2ln"));
  }

  /** The main federation's valid claims as JSON text. */
  private static String payloadJson(Arena a) {
    return com.nimbusds.jose.util.JSONObjectUtils.toJSONString((Map<String, ?>) a.claims());
  }

  @Test
  void exchangeWhenSubjectTokenEmptyThen400InvalidRequest() {
    arena.assertRefused(
        dev.openwif.server.sts.LiveServer.exchangeParams(
            "", arena.main().providerId(), arena.main().accountId()),
        400,
        "invalid_request",
        ReasonCode.INVALID_REQUEST);
  }

  @Test
  void exchangeWhenSubjectTokenOneMegabyteThen400InvalidRequestBodyTooLarge() {
    String huge = valid(arena).claim("pad", "p".repeat(1024 * 1024)).build();
    arena.assertRefused(
        dev.openwif.server.sts.LiveServer.exchangeParams(
            huge, arena.main().providerId(), arena.main().accountId()),
        400,
        "invalid_request",
        ReasonCode.INVALID_REQUEST);
  }
}
