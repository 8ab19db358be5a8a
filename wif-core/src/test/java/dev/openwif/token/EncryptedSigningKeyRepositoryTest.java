package dev.openwif.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openwif.testkit.MutableClock;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class EncryptedSigningKeyRepositoryTest {
  private static final String SECRET = "kJ4n0r7Zb2Q8xv1mWc3Yt6Hs9Lq5Ue0Pa2Fd4Gh7Jk8=";
  private final MutableClock clock = MutableClock.fixed();

  @Test
  void insertWhenSigningKeysMadeThenRowsHoldCiphertextOnlyAndKeysStillSign() {
    InMemorySigningKeyRepository rows = new InMemorySigningKeyRepository();
    SigningKeys keys =
        new SigningKeys(new EncryptedSigningKeyRepository(rows, SECRET, new SecureRandom()), clock);

    StoredSigningKey row = rows.rows.getFirst();
    assertThat(row.privateJwkJson())
        .startsWith("wifenc1:")
        .doesNotContain("\"d\"")
        .doesNotContain(keys.current().getD().toString());
    assertThat(EncryptedSigningKeyRepository.isEncrypted(row.privateJwkJson())).isTrue();

    SigningKeys reloaded =
        new SigningKeys(new EncryptedSigningKeyRepository(rows, SECRET, new SecureRandom()), clock);
    assertThat(reloaded.current().toJSONString()).isEqualTo(keys.current().toJSONString());
  }

  @Test
  void listAllWhenWrongMasterKeyThenRefusedNamingTheProblem() {
    InMemorySigningKeyRepository rows = new InMemorySigningKeyRepository();
    new SigningKeys(new EncryptedSigningKeyRepository(rows, SECRET, new SecureRandom()), clock);

    assertThatThrownBy(
            () ->
                new EncryptedSigningKeyRepository(
                        rows, "YW5vdGhlciBtYXN0ZXIga2V5LCAzMiBieXRlcyBsb25n", new SecureRandom())
                    .listAll())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("WIF_MASTER_KEY");
  }

  @Test
  void listAllWhenCiphertextMovedToAnotherKidThenRefused() {
    InMemorySigningKeyRepository rows = new InMemorySigningKeyRepository();
    new SigningKeys(new EncryptedSigningKeyRepository(rows, SECRET, new SecureRandom()), clock);
    StoredSigningKey row = rows.rows.getFirst();
    rows.rows.set(0, new StoredSigningKey("other-kid", row.privateJwkJson(), row.createdAt()));

    assertThatThrownBy(
            () -> new EncryptedSigningKeyRepository(rows, SECRET, new SecureRandom()).listAll())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void listAllWhenLegacyPlainRowsThenStillReadAndNewKeysEncrypted() {
    InMemorySigningKeyRepository rows = new InMemorySigningKeyRepository();
    SigningKeys plain = new SigningKeys(rows, clock);
    SigningKeys encrypted =
        new SigningKeys(new EncryptedSigningKeyRepository(rows, SECRET, new SecureRandom()), clock);

    assertThat(encrypted.current().getKeyID()).isEqualTo(plain.current().getKeyID());
    encrypted.rotate();
    assertThat(rows.rows.getLast().privateJwkJson()).startsWith("wifenc1:");
    assertThat(rows.rows.getFirst().privateJwkJson()).startsWith("{");
  }

  @Test
  void constructorWhenSecretNotAMasterKeyThenRefused() {
    assertThatThrownBy(
            () ->
                new EncryptedSigningKeyRepository(
                    new InMemorySigningKeyRepository(),
                    "a passphrase of more than thirty-two characters",
                    new SecureRandom()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not base64");
  }
}
