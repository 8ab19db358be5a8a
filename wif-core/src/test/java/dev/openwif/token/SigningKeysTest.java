package dev.openwif.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import dev.openwif.testkit.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SigningKeysTest {
  private final MutableClock clock = MutableClock.fixed();
  private final InMemorySigningKeyRepository repository = new InMemorySigningKeyRepository();

  @Test
  void constructorWhenRepositoryEmptyThenGeneratesAndPersistsOneP256Key() throws Exception {
    SigningKeys keys = new SigningKeys(repository, clock);
    assertThat(repository.listAll()).hasSize(1);
    assertThat(keys.current().getCurve().getName()).isEqualTo("P-256");
    assertThat(keys.current().isPrivate()).isTrue();
    assertThat(repository.listAll().getFirst().kid()).isEqualTo(keys.current().getKeyID());
    assertThat(repository.listAll().getFirst().createdAt()).isEqualTo(clock.instant());
  }

  @Test
  void constructorWhenKeysStoredThenLoadsThemWithoutGenerating() {
    String kid = new SigningKeys(repository, clock).current().getKeyID();
    SigningKeys restarted = new SigningKeys(repository, clock);
    assertThat(restarted.current().getKeyID()).isEqualTo(kid);
    assertThat(repository.listAll()).hasSize(1);
  }

  @Test
  void publicJwksJsonWhenRotatedThenAllKeysPublishedWithoutPrivateParts() throws Exception {
    SigningKeys keys = new SigningKeys(repository, clock);
    String first = keys.current().getKeyID();
    clock.advance(Duration.ofDays(1));
    String second = keys.rotate().getKeyID();

    assertThat(second).isNotEqualTo(first);
    assertThat(keys.current().getKeyID()).isEqualTo(second);
    JWKSet published = JWKSet.parse(keys.publicJwksJson());
    assertThat(published.getKeys())
        .extracting(k -> k.getKeyID())
        .containsExactlyInAnyOrder(first, second);
    assertThat(published.getKeys()).noneMatch(k -> k.isPrivate());
    assertThat(keys.publicJwksJson()).doesNotContain("\"d\"");
    assertThat(keys.publicKey(first)).hasValueSatisfying(k -> assertThat(k.isPrivate()).isFalse());
  }

  @Test
  void reloadWhenAnotherNodeRotatedThenNewKeyBecomesCurrent() {
    SigningKeys nodeA = new SigningKeys(repository, clock);
    SigningKeys nodeB = new SigningKeys(repository, clock);
    String rotated = nodeB.rotate().getKeyID();
    assertThat(nodeA.current().getKeyID()).isNotEqualTo(rotated);
    nodeA.reload();
    assertThat(nodeA.current().getKeyID()).isEqualTo(rotated);
  }

  @Test
  void constructorWhenKeysEncryptedButNoMasterKeyThenSaysTheMasterKeyIsMissing() {
    new SigningKeys(
        new EncryptedSigningKeyRepository(
            repository,
            "U2lnbmluZ0tleXNUZXN0IG1hc3RlciBrZXkgb2YgMzIgYnl0ZXM=",
            new java.security.SecureRandom()),
        clock);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SigningKeys(repository, clock))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("encrypted")
        .hasMessageContaining("WIF_MASTER_KEY")
        .hasMessageNotContaining("Invalid JSON");
  }
}
