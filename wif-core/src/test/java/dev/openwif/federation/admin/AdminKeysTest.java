package dev.openwif.federation.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openwif.federation.AdminKey;
import dev.openwif.federation.AdminKeyRepository;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AdminKeysTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T06:00:00Z"), ZoneOffset.UTC);

  /** An in-memory repository: the fake the use case is tested against. */
  static final class InMemoryAdminKeys implements AdminKeyRepository {
    final List<AdminKey> keys = new ArrayList<>();

    @Override
    public void insert(AdminKey key) {
      keys.add(key);
    }

    @Override
    public List<AdminKey> listAll() {
      return List.copyOf(keys);
    }

    @Override
    public Optional<AdminKey> findBySecretHash(String secretHash) {
      return keys.stream().filter(k -> k.secretHash().equals(secretHash)).findFirst();
    }

    @Override
    public boolean revoke(String id, Instant at) {
      for (int i = 0; i < keys.size(); i++) {
        AdminKey k = keys.get(i);
        if (k.id().equals(id) && k.active()) {
          keys.set(
              i,
              new AdminKey(
                  k.id(),
                  k.name(),
                  k.secretHash(),
                  k.displayPrefix(),
                  k.createdAt(),
                  Optional.of(at)));
          return true;
        }
      }
      return false;
    }
  }

  final InMemoryAdminKeys repository = new InMemoryAdminKeys();
  final AtomicInteger seq = new AtomicInteger();
  final AdminKeys keys =
      new AdminKeys(repository, CLOCK, p -> p + "_" + seq.incrementAndGet(), new SecureRandom());

  @Test
  void createWhenCalledThenOnlyHashAndPrefixStored() {
    AdminKeys.Created created = keys.create("ci");

    AdminKey stored = repository.keys.getFirst();
    assertThat(created.secret()).startsWith("wifadm_").hasSize("wifadm_".length() + 43);
    assertThat(stored.id()).isEqualTo("admin_key_1");
    assertThat(stored.secretHash()).isEqualTo(AdminKeys.sha256Hex(created.secret())).hasSize(64);
    assertThat(stored.displayPrefix()).isEqualTo(created.secret().substring(0, 12));
    assertThat(created.toString()).doesNotContain(created.secret());
  }

  @Test
  void authenticateWhenSecretMatchesActiveKeyThenKey() {
    AdminKeys.Created created = keys.create("ci");

    assertThat(keys.authenticate(created.secret())).contains(created.key());
    assertThat(keys.authenticate(created.secret() + "x")).isEmpty();
    assertThat(keys.authenticate("")).isEmpty();
  }

  @Test
  void authenticateWhenKeyRevokedThenEmpty() {
    AdminKeys.Created created = keys.create("ci");

    assertThat(keys.revoke(created.key().id())).isTrue();
    assertThat(keys.authenticate(created.secret())).isEmpty();
    assertThat(keys.revoke(created.key().id())).isFalse();
  }

  @Test
  void bootstrapRandomWhenNoKeyThenCreatedOnceOnly() {
    assertThat(keys.bootstrapRandom()).isPresent();
    assertThat(keys.bootstrapRandom()).isEmpty();
    assertThat(repository.keys).hasSize(1);
  }

  @Test
  void bootstrapWithWhenKeysExistThenIgnored() {
    keys.create("first");

    assertThat(keys.bootstrapWith("automation-key-0123456789")).isEmpty();
    assertThat(keys.authenticate("automation-key-0123456789")).isEmpty();
  }

  @Test
  void bootstrapWithWhenOperatorSecretThenOnlyFourCharactersStoredForDisplay() {
    keys.bootstrapWith("automation-key-0123456789");

    assertThat(repository.keys.getFirst().displayPrefix()).isEqualTo("auto");
  }

  @Test
  void bootstrapWithWhenTooShortThenRefused() {
    assertThatThrownBy(() -> keys.bootstrapWith("short"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 16");
  }
}
