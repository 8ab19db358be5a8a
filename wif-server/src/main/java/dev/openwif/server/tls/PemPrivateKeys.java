package dev.openwif.server.tls;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an unencrypted private key from PEM text with the JDK alone: PKCS#8 ({@code BEGIN PRIVATE
 * KEY}, RSA, EC, Ed25519 or Ed448; RFC 5208 §5), PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}; RFC
 * 8017 A.1.2) and SEC1 EC ({@code BEGIN EC PRIVATE KEY}; RFC 5915 §3, named curves). The two
 * traditional forms are wrapped into PKCS#8 before the JDK's {@link KeyFactory} reads them. Blocks
 * that are not keys (an {@code EC PARAMETERS} block before the key, a certificate) are skipped.
 * Stateless.
 */
final class PemPrivateKeys {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\R(.*?)-----END \\1-----", Pattern.DOTALL);
  private static final List<String> PKCS8_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448");

  /** DER of OID 1.2.840.113549.1.1.1 (rsaEncryption) with its NULL parameters. */
  private static final byte[] RSA_ALGORITHM =
      der(
          0x30,
          concat(
              new byte[] {
                0x06,
                0x09,
                0x2a,
                (byte) 0x86,
                0x48,
                (byte) 0x86,
                (byte) 0xf7,
                0x0d,
                0x01,
                0x01,
                0x01
              },
              new byte[] {0x05, 0x00}));

  /** DER of OID 1.2.840.10045.2.1 (id-ecPublicKey). */
  private static final byte[] EC_PUBLIC_KEY_OID = {
    0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
  };

  private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

  private PemPrivateKeys() {}

  /**
   * The first private key in {@code pem}.
   *
   * @throws IllegalArgumentException naming what is wrong (no key, an encrypted key, a key the JDK
   *     cannot read); never containing key material
   */
  static PrivateKey parse(String pem) {
    Matcher block = BLOCK.matcher(pem);
    while (block.find()) {
      String type = block.group(1);
      String body = block.group(2);
      switch (type) {
        case "PRIVATE KEY" -> {
          return pkcs8(base64(body));
        }
        case "RSA PRIVATE KEY" -> {
          refuseEncrypted(body);
          return pkcs8(der(0x30, concat(VERSION_0, RSA_ALGORITHM, der(0x04, base64(body)))));
        }
        case "EC PRIVATE KEY" -> {
          refuseEncrypted(body);
          return pkcs8(sec1ToPkcs8(base64(body)));
        }
        case "ENCRYPTED PRIVATE KEY" ->
            throw new IllegalArgumentException(
                "the private key is encrypted; store it unencrypted (openssl pkey -in KEY -out"
                    + " PLAIN.pem) and protect the file instead");
        default -> {
          // not a key (EC PARAMETERS, CERTIFICATE...): look further
        }
      }
    }
    throw new IllegalArgumentException(
        "no private key found (expected a PEM block BEGIN PRIVATE KEY, BEGIN RSA PRIVATE KEY or"
            + " BEGIN EC PRIVATE KEY)");
  }

  private static void refuseEncrypted(String body) {
    if (body.contains("Proc-Type:") || body.contains("DEK-Info:")) {
      throw new IllegalArgumentException(
          "the private key is encrypted; store it unencrypted (openssl pkey -in KEY -out"
              + " PLAIN.pem) and protect the file instead");
    }
  }

  private static PrivateKey pkcs8(byte[] der) {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : PKCS8_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException | RuntimeException e) {
        // not this algorithm: try the next
      }
    }
    throw new IllegalArgumentException(
        "the private key is not an RSA, EC, Ed25519 or Ed448 key the JDK can read");
  }

  /**
   * SEC1 {@code ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET STRING, [0] parameters, [1]
   * publicKey }} to PKCS#8 {@code SEQUENCE { 0, SEQUENCE { id-ecPublicKey, namedCurve }, OCTET
   * STRING sec1 }}: the curve moves into the algorithm identifier.
   */
  private static byte[] sec1ToPkcs8(byte[] sec1) {
    Der outer = Der.read(sec1, 0);
    if (outer.tag() != 0x30) {
      throw new IllegalArgumentException("the EC private key is not a DER SEQUENCE");
    }
    byte[] curve = new byte[0];
    for (int at = outer.contentStart(); at < outer.end(); ) {
      Der child = Der.read(sec1, at);
      if (child.tag() == 0xa0) {
        Der oid = Der.read(sec1, child.contentStart());
        if (oid.tag() == 0x06) {
          curve = java.util.Arrays.copyOfRange(sec1, child.contentStart(), oid.end());
        }
      }
      at = child.end();
    }
    if (curve.length == 0) {
      throw new IllegalArgumentException(
          "the EC private key does not name its curve (convert it: openssl pkey -in KEY -out"
              + " PKCS8.pem)");
    }
    return der(
        0x30, concat(VERSION_0, der(0x30, concat(EC_PUBLIC_KEY_OID, curve)), der(0x04, sec1)));
  }

  private static byte[] base64(String body) {
    try {
      return Base64.getMimeDecoder().decode(body.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the private key's PEM block is not valid base64", e);
    }
  }

  /** One DER element found at {@code start}: its tag, where its content starts and its end. */
  private record Der(int tag, int contentStart, int end) {
    static Der read(byte[] der, int start) {
      if (start + 2 > der.length) {
        throw new IllegalArgumentException("the private key's DER encoding is truncated");
      }
      int tag = der[start] & 0xff;
      int first = der[start + 1] & 0xff;
      int at = start + 2;
      int length;
      if (first < 0x80) {
        length = first;
      } else {
        int count = first & 0x7f;
        if (count == 0 || count > 3 || at + count > der.length) {
          throw new IllegalArgumentException("the private key's DER encoding is malformed");
        }
        length = 0;
        for (int i = 0; i < count; i++) {
          length = (length << 8) | (der[at++] & 0xff);
        }
      }
      if (at + length > der.length) {
        throw new IllegalArgumentException("the private key's DER encoding is truncated");
      }
      return new Der(tag, at, at + length);
    }
  }

  private static byte[] der(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int length = content.length;
    if (length < 0x80) {
      out.write(length);
    } else if (length < 0x100) {
      out.write(0x81);
      out.write(length);
    } else if (length < 0x10000) {
      out.write(0x82);
      out.write(length >> 8);
      out.write(length);
    } else {
      out.write(0x83);
      out.write(length >> 16);
      out.write(length >> 8);
      out.write(length);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
