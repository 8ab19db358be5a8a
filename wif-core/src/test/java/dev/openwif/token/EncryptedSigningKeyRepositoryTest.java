package dev.openwif.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openwif.testkit.MutableClock;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EncryptedSigningKeyRepositoryTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef-master";
  private final MutableClock clock = MutableClock.fixed();

  /** The rows as a database would hold them. */
  static final class Rows implements SigningKeyRepository {
    final List<StoredSigningKey> rows = new ArrayList<>();

    @Override
    public void insert(StoredSigningKey key) {
      rows.add(key);
    }

    @Override
    public List<StoredSigningKey> listAll() {
      return List.copyOf(rows);
    }
  }

  @Test
  void insertWhenSigningKeysMadeThenRowsHoldCiphertextOnlyAndKeysStillSign() {
    Rows rows = new Rows();
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
    Rows rows = new Rows();
    new SigningKeys(new EncryptedSigningKeyRepository(rows, SECRET, new SecureRandom()), clock);

    assertThatThrownBy(
            () ->
                new EncryptedSigningKeyRepository(rows, SECRET + "x", new SecureRandom()).listAll())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("WIF_MASTER_KEY");
  }

  @Test
  void listAllWhenCiphertextMovedToAnotherKidThenRefused() {
    Rows rows = new Rows();
    new SigningKeys(new EncryptedSigningKeyRepository(rows, SECRET, new SecureRandom()), clock);
    StoredSigningKey row = rows.rows.getFirst();
    rows.rows.set(0, new StoredSigningKey("other-kid", row.privateJwkJson(), row.createdAt()));

    assertThatThrownBy(
            () -> new EncryptedSigningKeyRepository(rows, SECRET, new SecureRandom()).listAll())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void listAllWhenLegacyPlainRowsThenStillReadAndNewKeysEncrypted() {
    Rows rows = new Rows();
    SigningKeys plain = new SigningKeys(rows, clock);
    SigningKeys encrypted =
        new SigningKeys(new EncryptedSigningKeyRepository(rows, SECRET, new SecureRandom()), clock);

    assertThat(encrypted.current().getKeyID()).isEqualTo(plain.current().getKeyID());
    encrypted.rotate();
    assertThat(rows.rows.getLast().privateJwkJson()).startsWith("wifenc1:");
    assertThat(rows.rows.getFirst().privateJwkJson()).startsWith("{");
  }

  @Test
  void constructorWhenSecretShortThenRefused() {
    assertThatThrownBy(
            () -> new EncryptedSigningKeyRepository(new Rows(), "short", new SecureRandom()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 32 characters");
  }
}
