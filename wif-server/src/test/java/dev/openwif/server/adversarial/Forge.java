package dev.openwif.server.adversarial;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import dev.openwif.audit.ReasonCode;
import dev.openwif.testkit.TokenBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Function;

/** Small token-crafting helpers for the adversarial cases. Stateless. */
final class Forge {
  private Forge() {}

  /**
   * One named case: how to make the subject token from the arena, and the exact audit reason
   * expected. {@code toString} is the name JUnit shows.
   */
  record Case(String name, Function<Arena, String> token, ReasonCode reason) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Case refused(String name, ReasonCode reason, Function<Arena, String> token) {
    return new Case(name, token, reason);
  }

  /** A builder signed by the issuer's current key with the main federation's valid claims. */
  static TokenBuilder valid(Arena arena) {
    return arena.issuer.tokenBuilder().claims(arena.claims());
  }

  static String b64(String text) {
    return b64(text.getBytes(StandardCharsets.UTF_8));
  }

  static String b64(byte[] bytes) {
    return Base64URL.encode(bytes).toString();
  }

  static byte[] unb64(String segment) {
    return Base64.getUrlDecoder().decode(segment);
  }

  static String[] segments(String token) {
    return token.split("\\.", -1);
  }

  /** The token with its signature segment replaced by these bytes. */
  static String withSignature(String token, byte[] signature) {
    String[] s = segments(token);
    return s[0] + "." + s[1] + "." + b64(signature);
  }

  static String flipBit(String token, int segment, int byteIndex) {
    String[] s = segments(token);
    byte[] bytes = unb64(s[segment]);
    int i = Math.floorMod(byteIndex, bytes.length);
    bytes[i] ^= 0x01;
    s[segment] = b64(bytes);
    return String.join(".", s);
  }

  /** The RSA public key in PEM, as an HS256 confusion attacker would use it as the HMAC secret. */
  static byte[] pem(RSAKey key) {
    try {
      String body =
          Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(key.toRSAPublicKey().getEncoded());
      return ("-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n")
          .getBytes(StandardCharsets.US_ASCII);
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] der(RSAKey key) {
    try {
      return key.toRSAPublicKey().getEncoded();
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** P-256's group order n (FIPS 186-4 D.1.2.3), 32 bytes big-endian. */
  static byte[] p256Order() {
    return java.util.HexFormat.of()
        .parseHex("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  static TokenBuilder ecValid(Arena arena, ECKey key) {
    return TokenBuilder.signedBy(key).claims(arena.claims());
  }
}
