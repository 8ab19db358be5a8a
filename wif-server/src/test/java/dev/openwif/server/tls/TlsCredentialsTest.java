package dev.openwif.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openwif.testkit.OpenSsl;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Certificates and keys as {@code openssl} writes them, read with the JDK alone. */
class TlsCredentialsTest {
  @TempDir Path dir;

  @Test
  void readWhenPkcs8RsaKeyAndItsCertificateThenBothRead() {
    OpenSsl.Pair pair = OpenSsl.selfSignedRsa(dir, "pkcs8-rsa");

    TlsCredentials credentials = TlsCredentials.read(new TlsFiles(pair.certificate(), pair.key()));

    assertThat(credentials.key().getAlgorithm()).isEqualTo("RSA");
    assertThat(credentials.certificate().getSubjectX500Principal().getName())
        .isEqualTo("CN=pkcs8-rsa");
    assertThat(credentials.describe()).contains("CN=pkcs8-rsa").contains("serial");
  }

  @Test
  void readWhenTraditionalRsaKeyThenReadAsRsa() throws Exception {
    Path key = OpenSsl.traditionalRsaKey(dir.resolve("rsa.key"));
    Path cert = OpenSsl.selfSignedFor(key, dir.resolve("rsa.crt"), "traditional");
    assertThat(Files.readString(key)).contains("BEGIN RSA PRIVATE KEY");

    TlsCredentials credentials = TlsCredentials.read(new TlsFiles(cert, key));

    assertThat(credentials.key().getAlgorithm()).isEqualTo("RSA");
  }

  @Test
  void readWhenSec1EcKeyAfterItsParametersThenReadAsEc() throws Exception {
    Path key = OpenSsl.sec1EcKey(dir.resolve("ec.key"));
    Path cert = OpenSsl.selfSignedFor(key, dir.resolve("ec.crt"), "sec1");
    assertThat(Files.readString(key))
        .contains("BEGIN EC PARAMETERS")
        .contains("BEGIN EC PRIVATE KEY");

    TlsCredentials credentials = TlsCredentials.read(new TlsFiles(cert, key));

    assertThat(credentials.key().getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void readWhenPkcs8EcAndEd25519KeysThenRead() {
    for (String algorithm : new String[] {"EC", "ED25519"}) {
      Path key = OpenSsl.pkcs8Key(dir.resolve(algorithm + ".key"), algorithm);
      Path cert = OpenSsl.selfSignedFor(key, dir.resolve(algorithm + ".crt"), algorithm);

      TlsCredentials credentials = TlsCredentials.read(new TlsFiles(cert, key));

      assertThat(credentials.key().getAlgorithm()).isIn("EC", "Ed25519", "EdDSA");
    }
  }

  @Test
  void readWhenChainThenServerCertificateFirstAndAllKept() throws Exception {
    OpenSsl.Pair server = OpenSsl.selfSignedRsa(dir, "server");
    OpenSsl.Pair other = OpenSsl.selfSignedRsa(dir, "intermediate");
    Path chain = dir.resolve("chain.pem");
    Files.writeString(
        chain, Files.readString(server.certificate()) + Files.readString(other.certificate()));

    TlsCredentials credentials = TlsCredentials.read(new TlsFiles(chain, server.key()));

    assertThat(credentials.chain()).hasSize(2);
    assertThat(credentials.certificate().getSubjectX500Principal().getName())
        .isEqualTo("CN=server");
  }

  @Test
  void readWhenKeyOfAnotherCertificateThenOneLineNamingBothFiles() {
    OpenSsl.Pair first = OpenSsl.selfSignedRsa(dir, "first");
    OpenSsl.Pair second = OpenSsl.selfSignedRsa(dir, "second");

    assertThatThrownBy(() -> TlsCredentials.read(new TlsFiles(first.certificate(), second.key())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "TLS key "
                + second.key()
                + " does not belong to the certificate in "
                + first.certificate()
                + " (its public key is another)");
  }

  @Test
  void readWhenEncryptedKeyThenRefusedSayingSo() {
    OpenSsl.Pair pair = OpenSsl.selfSignedRsa(dir, "enc");
    Path encrypted = OpenSsl.encrypted(pair.key(), dir.resolve("enc-encrypted.key"));

    assertThatThrownBy(() -> TlsCredentials.read(new TlsFiles(pair.certificate(), encrypted)))
        .hasMessageStartingWith("TLS key " + encrypted + ": the private key is encrypted");
  }

  @Test
  void readWhenFileMissingThenNamesIt() {
    OpenSsl.Pair pair = OpenSsl.selfSignedRsa(dir, "present");
    Path missing = dir.resolve("missing.crt");

    assertThatThrownBy(() -> TlsCredentials.read(new TlsFiles(missing, pair.key())))
        .hasMessage("cannot read TLS file " + missing + ": no such file");
  }

  @Test
  void readWhenCertificateFileHoldsAKeyThenNamesTheCertificateFile() {
    OpenSsl.Pair pair = OpenSsl.selfSignedRsa(dir, "swapped");

    assertThatThrownBy(() -> TlsCredentials.read(new TlsFiles(pair.key(), pair.certificate())))
        .hasMessageStartingWith("TLS certificate " + pair.key() + ": ");
  }

  @Test
  void readWhenKeyFileHoldsNoKeyThenNamesTheKeyFile() throws Exception {
    OpenSsl.Pair pair = OpenSsl.selfSignedRsa(dir, "nokey");
    Path empty = Files.writeString(dir.resolve("empty.key"), "not a key\n");

    assertThatThrownBy(() -> TlsCredentials.read(new TlsFiles(pair.certificate(), empty)))
        .hasMessageStartingWith("TLS key " + empty + ": no private key found");
  }
}
