package dev.openwif.emulator;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The RS256 key an emulator signs with (RFC 7518 §3.3), identified by a {@code kid} derived from
 * its RFC 7638 thumbprint so that the same key always has the same {@code kid}.
 *
 * <p>A key can be persisted to a file as a private JWK (RFC 7517), written with owner-only
 * permissions, so that a JWKS printed for an {@code uploaded_jwks} provider still matches the key
 * of a later run. Immutable and thread-safe.
 */
public final class EmulatorSigningKey {
  private static final int KEY_SIZE_BITS = 2048;

  /**
   * How the {@code kid} is written: Google uses 40 hex characters, Kubernetes a base64url SHA-256
   * thumbprint.
   */
  public enum KidStyle {
    /** Lower-case hex of the SHA-1 thumbprint, 40 characters, like Google's keys. */
    HEX_SHA1,
    /** Base64url SHA-256 thumbprint (RFC 7638 §3), like a Kubernetes service account issuer. */
    BASE64URL_SHA256
  }

  private final RSAKey key;
  private final RSASSASigner signer;

  private EmulatorSigningKey(RSAKey key) {
    this.key = key;
    try {
      this.signer = new RSASSASigner(key);
    } catch (JOSEException e) {
      throw new IllegalStateException("the RSA key cannot sign: " + e.getMessage(), e);
    }
  }

  /** A fresh 2048-bit RSA key. */
  public static EmulatorSigningKey generate(KidStyle kidStyle) {
    Objects.requireNonNull(kidStyle, "kidStyle");
    try {
      RSAKey unnamed = new RSAKeyGenerator(KEY_SIZE_BITS).generate();
      return new EmulatorSigningKey(named(unnamed, kidStyle));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate an RSA key: " + e.getMessage(), e);
    }
  }

  /**
   * The key stored in {@code file} (a private RSA JWK), or a fresh key saved there when the file
   * does not exist yet.
   *
   * @throws IllegalArgumentException when the file exists but does not hold a private RSA JWK
   * @throws UncheckedIOException when the file cannot be read or written
   */
  public static EmulatorSigningKey loadOrCreate(Path file, KidStyle kidStyle) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(kidStyle, "kidStyle");
    if (Files.exists(file)) {
      return load(file, kidStyle);
    }
    EmulatorSigningKey created = generate(kidStyle);
    created.save(file);
    return created;
  }

  private static EmulatorSigningKey load(Path file, KidStyle kidStyle) {
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the key file " + file, e);
    }
    try {
      RSAKey stored = RSAKey.parse(json);
      if (!stored.isPrivate()) {
        throw new IllegalArgumentException(
            "the key file " + file + " holds a public key; a private RSA JWK is needed");
      }
      return new EmulatorSigningKey(named(stored, kidStyle));
    } catch (ParseException e) {
      throw new IllegalArgumentException(
          "the key file " + file + " does not hold an RSA JWK: " + e.getMessage(), e);
    }
  }

  private static RSAKey named(RSAKey key, KidStyle kidStyle) throws IllegalStateException {
    try {
      String kid =
          switch (kidStyle) {
            case HEX_SHA1 -> HexFormat.of().formatHex(key.computeThumbprint("SHA-1").decode());
            case BASE64URL_SHA256 -> key.computeThumbprint("SHA-256").toString();
          };
      return new RSAKey.Builder(key)
          .keyID(kid)
          .keyUse(KeyUse.SIGNATURE)
          .algorithm(JWSAlgorithm.RS256)
          .build();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot compute the key thumbprint: " + e.getMessage(), e);
    }
  }

  private void save(Path file) {
    try {
      Path dir = Optional.ofNullable(file.toAbsolutePath().getParent()).orElseThrow();
      Files.createDirectories(dir);
      Path temp = Files.createTempFile(dir, ".wif-key", ".tmp");
      try {
        restrictToOwner(temp);
        Files.writeString(temp, key.toJSONString(), StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the key file " + file, e);
    }
  }

  private static void restrictToOwner(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // Not a POSIX file system: the temp file already has the platform's default owner-only ACL.
    }
  }

  /** The key id written in every token header and in the JWKS. */
  public String kid() {
    return key.getKeyID();
  }

  /** The public JWKS (RFC 7517 §5) with this single key, as JSON. */
  public String publicJwksJson() {
    return new JWKSet(key.toPublicJWK()).toString(true);
  }

  /** The public key, for verifiers in tests. */
  public RSAKey publicJwk() {
    return key.toPublicJWK();
  }

  /** The header with members in the order Google and Kubernetes write them: alg, kid, typ. */
  private JWSHeader header(boolean typJwt) {
    Map<String, Object> members = new LinkedHashMap<>();
    members.put("alg", JWSAlgorithm.RS256.getName());
    members.put("kid", kid());
    if (typJwt) {
      members.put("typ", JOSEObjectType.JWT.getType());
    }
    try {
      return JWSHeader.parse(Base64URL.encode(JSONObjectUtils.toJSONString(members)));
    } catch (ParseException e) {
      throw new IllegalStateException("the emulator's own JWS header did not parse", e);
    }
  }

  /**
   * Signs {@code claims} (serialized in their iteration order, so arrays stay arrays) as an RS256
   * JWS (RFC 7515 §7.1) with this key's {@code kid}; the header carries {@code typ: JWT} when
   * {@code typJwt} (Google writes it, Kubernetes does not).
   */
  public String sign(Map<String, Object> claims, boolean typJwt) {
    Objects.requireNonNull(claims, "claims");
    JWSObject jwt =
        new JWSObject(header(typJwt), new Payload(JSONObjectUtils.toJSONString(claims)));
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("signing failed: " + e.getMessage(), e);
    }
    return jwt.serialize();
  }
}
