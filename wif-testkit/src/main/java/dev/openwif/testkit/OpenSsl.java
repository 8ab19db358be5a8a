package dev.openwif.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code openssl} binary to make TLS test material: self-signed certificates for
 * {@code 127.0.0.1} with their keys, in the forms an operator meets (PKCS#8, traditional RSA, SEC1
 * EC). The commands are the ones the operations guide shows.
 */
public final class OpenSsl {
  private OpenSsl() {}

  /** A certificate file and its key file. */
  public record Pair(Path certificate, Path key) {}

  /**
   * {@code openssl req -x509 -newkey rsa:2048 -nodes -keyout KEY -out CERT -days 30 -subj /CN=NAME
   * -addext subjectAltName=IP:127.0.0.1,DNS:localhost}: an RSA key in PKCS#8.
   */
  public static Pair selfSignedRsa(Path dir, String name) {
    Path cert = dir.resolve(name + ".crt");
    Path key = dir.resolve(name + ".key");
    run(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        key.toString(),
        "-out",
        cert.toString(),
        "-days",
        "30",
        "-subj",
        "/CN=" + name,
        "-addext",
        "subjectAltName=IP:127.0.0.1,DNS:localhost");
    return new Pair(cert, key);
  }

  /** A self-signed certificate for the key already in {@code key} (any type openssl reads). */
  public static Path selfSignedFor(Path key, Path cert, String name) {
    run(
        "req",
        "-x509",
        "-new",
        "-key",
        key.toString(),
        "-out",
        cert.toString(),
        "-days",
        "30",
        "-subj",
        "/CN=" + name,
        "-addext",
        "subjectAltName=IP:127.0.0.1,DNS:localhost");
    return cert;
  }

  /** {@code openssl genrsa -traditional -out KEY 2048}: {@code BEGIN RSA PRIVATE KEY}. */
  public static Path traditionalRsaKey(Path key) {
    run("genrsa", "-traditional", "-out", key.toString(), "2048");
    return key;
  }

  /**
   * {@code openssl ecparam -name prime256v1 -genkey -out KEY}: an {@code EC PARAMETERS} block, then
   * {@code BEGIN EC PRIVATE KEY} (SEC1).
   */
  public static Path sec1EcKey(Path key) {
    run("ecparam", "-name", "prime256v1", "-genkey", "-out", key.toString());
    return key;
  }

  /** {@code openssl genpkey -algorithm ALG -out KEY}: a PKCS#8 key (EC with P-256, Ed25519...). */
  public static Path pkcs8Key(Path key, String algorithm) {
    List<String> args = new ArrayList<>(List.of("genpkey", "-algorithm", algorithm));
    if (algorithm.equals("EC")) {
      args.addAll(List.of("-pkeyopt", "ec_paramgen_curve:P-256"));
    }
    args.addAll(List.of("-out", key.toString()));
    run(args.toArray(String[]::new));
    return key;
  }

  /** {@code openssl pkcs8 -topk8 -in KEY -out OUT -passout pass:PASS}: an encrypted PKCS#8 key. */
  public static Path encrypted(Path key, Path out) {
    run(
        "pkcs8",
        "-topk8",
        "-in",
        key.toString(),
        "-out",
        out.toString(),
        "-passout",
        "pass:test-password");
    return out;
  }

  /**
   * Runs {@code openssl ARGS} (60 s at most) and returns what it printed, stdout and stderr
   * together.
   *
   * @throws IllegalStateException when it fails, with its output
   */
  public static String run(String... args) {
    return exec(true, args);
  }

  /** Like {@link #run} but returns the output whatever the exit status (for refused handshakes). */
  public static String runIgnoringStatus(String... args) {
    return exec(false, args);
  }

  private static String exec(boolean check, String... args) {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    try {
      Path output = Files.createTempFile("openssl", ".txt");
      try {
        Process process =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException("openssl did not finish in 60 s: " + command);
        }
        String printed = Files.readString(output, StandardCharsets.UTF_8);
        if (check && process.exitValue() != 0) {
          throw new IllegalStateException(
              "openssl failed (" + process.exitValue() + "): " + command + "\n" + printed);
        }
        return printed;
      } finally {
        Files.deleteIfExists(output);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run openssl: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
