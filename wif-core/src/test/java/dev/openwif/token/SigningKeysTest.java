package dev.openwif.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWKSet;
import dev.openwif.testkit.MutableClock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SigningKeysTest {
  private final MutableClock clock = MutableClock.fixed();
  private final InMemorySigningKeyRepository repository = new InMemorySigningKeyRepository();
  private final SigningKeyLifecycle lifecycle = new SigningKeyLifecycle(Duration.ofHours(1));

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

  @Test
  void rotateWhenOldKeyPastVerifyUntilThenNoLongerPublishedAfterReload() throws Exception {
    SigningKeys keys = new SigningKeys(repository, clock, lifecycle);
    String first = keys.current().getKeyID();
    String second = keys.rotate().getKeyID();
    assertThat(keys.publicKey(first)).isPresent();

    clock.advance(Duration.ofHours(1).plus(SigningKeyLifecycle.CLOCK_SKEW));
    assertThat(keys.publicKey(first)).isEmpty();
    assertThat(keys.reload()).isTrue();

    assertThat(JWKSet.parse(keys.publicJwksJson()).getKeys())
        .extracting(k -> k.getKeyID())
        .containsExactly(second);
  }

  @Test
  void reloadWhenAnotherProcessRetiredAKeyThenItIsGoneFromJwksAndLookups() throws Exception {
    SigningKeys server = new SigningKeys(repository, clock, lifecycle);
    String first = server.current().getKeyID();
    SigningKeyRotation cli = new SigningKeyRotation(repository, lifecycle, clock);
    clock.advance(Duration.ofMinutes(1));
    String second = cli.rotate().orElseThrow().activeKid();
    assertThat(server.reload()).isTrue();
    assertThat(server.current().getKeyID()).isEqualTo(second);

    assertThat(cli.retire(first, true)).isEqualTo(new SigningKeyRotation.Retirement.Done(first));
    assertThat(server.publicKey(first)).isPresent(); // until the next re-read
    assertThat(server.reload()).isTrue();

    assertThat(server.publicKey(first)).isEmpty();
    assertThat(JWKSet.parse(server.publicJwksJson()).getKeys())
        .extracting(k -> k.getKeyID())
        .containsExactly(second);
    assertThat(repository.listAll().getFirst().privateJwkJson()).isEmpty();
    assertThat(new SigningKeys(repository, clock, lifecycle).current().getKeyID())
        .isEqualTo(second);
    assertThat(server.reload()).isFalse();
  }

  @Test
  void constructorWhenEveryKeyRetiredOrRotatedOutThenGeneratesANewActiveKey() {
    SigningKeys keys = new SigningKeys(repository, clock, lifecycle);
    String first = keys.current().getKeyID();
    synchronized (repository) {
      StoredSigningKey only = repository.rows.getFirst();
      repository.rows.set(
          0,
          new StoredSigningKey(
              only.kid(),
              only.privateJwkJson(),
              only.createdAt(),
              Optional.of(clock.instant()),
              Optional.empty()));
    }

    SigningKeys restarted = new SigningKeys(repository, clock, lifecycle);

    assertThat(restarted.current().getKeyID()).isNotEqualTo(first);
    assertThat(repository.listAll()).hasSize(2);
  }

  /**
   * A stored key whose private part is not the one its public part (and kid) names: the kid and the
   * published JWKS say key A, but it would sign with key B's secret. Every token it minted would
   * fail verification everywhere; the self-test refuses it before it signs anything.
   */
  @Test
  void constructWhenStoredKeySignsWithASecretItsPublishedKeyDoesNotMatchThenRefusedAtStart()
      throws Exception {
    com.nimbusds.jose.jwk.ECKey a =
        com.nimbusds.jose.jwk.ECKey.parse(SigningKeys.generate(clock.instant()).privateJwkJson());
    com.nimbusds.jose.jwk.ECKey b =
        com.nimbusds.jose.jwk.ECKey.parse(SigningKeys.generate(clock.instant()).privateJwkJson());
    com.nimbusds.jose.jwk.ECKey mismatched =
        new com.nimbusds.jose.jwk.ECKey.Builder(a.toPublicJWK())
            .d(b.getD())
            .keyID(a.getKeyID())
            .build();
    repository.insert(
        new StoredSigningKey(a.getKeyID(), mismatched.toJSONString(), clock.instant()));

    assertThatThrownBy(() -> new SigningKeys(repository, clock))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("signing key " + a.getKeyID() + " failed its self-test")
        .hasMessageNotContaining(b.getD().toString());
  }

  @Test
  void selfTestWhenKeyIsSoundThenPassesAgainstItsPublishedJwks() throws Exception {
    SigningKeys keys = new SigningKeys(repository, clock);
    SigningKeySelfTest.check(keys.current(), keys.publicJwksJson());
    assertThatThrownBy(() -> SigningKeySelfTest.check(keys.current(), "{\"keys\":[]}"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("publishes no public key");
  }

  @Test
  void sinceLastReadWhenReloadedThenZeroAndWhenNotThenGrows() {
    SigningKeys keys = new SigningKeys(repository, clock);
    assertThat(keys.sinceLastRead()).isZero();

    clock.advance(Duration.ofSeconds(7));
    assertThat(keys.sinceLastRead()).isEqualTo(Duration.ofSeconds(7));

    keys.reload();
    assertThat(keys.sinceLastRead()).isZero();
  }
}
