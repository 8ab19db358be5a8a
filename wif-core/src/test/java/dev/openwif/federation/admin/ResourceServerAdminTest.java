package dev.openwif.federation.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openwif.audit.AuditEvent;
import dev.openwif.federation.AdminTransactions;
import dev.openwif.federation.AdminValidationException;
import dev.openwif.federation.NotFoundException;
import dev.openwif.federation.Page;
import dev.openwif.federation.PageRequest;
import dev.openwif.federation.RandomIdGenerator;
import dev.openwif.federation.ResourceServer;
import dev.openwif.federation.ResourceServerRepository;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResourceServerAdminTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T02:00:00Z"), ZoneOffset.UTC);
  static final ChangeNote NOTE = new ChangeNote("admin_key_1", "{\"name\":\"billing\"}");

  /** An in-memory repository: the fake the use case is tested against. */
  static final class InMemoryResourceServers implements ResourceServerRepository {
    final Map<String, ResourceServer> servers = new LinkedHashMap<>();

    @Override
    public void insert(ResourceServer server) {
      servers.put(server.id(), server);
    }

    @Override
    public Optional<ResourceServer> find(String id) {
      return Optional.ofNullable(servers.get(id));
    }

    @Override
    public Page<ResourceServer> list(PageRequest page) {
      List<ResourceServer> all = new ArrayList<>(servers.values());
      return new Page<>(all.subList(0, Math.min(page.limit(), all.size())), false);
    }

    @Override
    public boolean delete(String id) {
      return servers.remove(id) != null;
    }
  }

  final InMemoryResourceServers repository = new InMemoryResourceServers();
  final List<AuditEvent> audited = new ArrayList<>();
  final ResourceServerAdmin admin =
      new ResourceServerAdmin(
          repository,
          new AdminWriteLock(AdminTransactions.none()),
          new AdminAudit(audited::add, CLOCK, new RandomIdGenerator()),
          CLOCK,
          new RandomIdGenerator(),
          new SecureRandom());

  @Test
  void createWhenNamedThenSecretShownOnceAndOnlyItsHashStored() {
    ResourceServerAdmin.Created created = admin.create("billing", NOTE);

    ResourceServer stored = repository.servers.get(created.server().id());
    assertThat(created.server().id()).startsWith("rs_");
    assertThat(created.secret()).startsWith("wifrs_").hasSize(6 + 43);
    assertThat(stored.secretHash()).isEqualTo(AdminKeys.sha256Hex(created.secret()));
    assertThat(stored.displayPrefix()).isEqualTo(created.secret().substring(0, 12));
    assertThat(stored.toString()).doesNotContain(created.secret()).doesNotContain("secretHash");
    assertThat(created.toString()).doesNotContain(created.secret());
    assertThat(stored.createdAt()).isEqualTo(CLOCK.instant());
    assertThat(audited)
        .singleElement()
        .isInstanceOfSatisfying(
            AuditEvent.AdminChange.class,
            e -> {
              assertThat(e.type()).isEqualTo("resource_server.created");
              assertThat(e.objectId()).isEqualTo(created.server().id());
            });
  }

  @Test
  void createWhenNameBlankThenValidationErrorNamingName() {
    assertThatThrownBy(() -> admin.create(" ", NOTE))
        .isInstanceOfSatisfying(
            AdminValidationException.class, e -> assertThat(e.param()).isEqualTo("name"));
    assertThat(repository.servers).isEmpty();
  }

  @Test
  void authenticateWhenIdAndSecretMatchThenServerElseEmpty() {
    ResourceServerAdmin.Created created = admin.create("billing", NOTE);
    ResourceServerAdmin.Created other = admin.create("search", NOTE);
    String id = created.server().id();

    assertThat(admin.authenticate(id, created.secret())).contains(created.server());
    assertThat(admin.authenticate(id, other.secret())).isEmpty();
    assertThat(admin.authenticate(id, created.secret() + "x")).isEmpty();
    assertThat(admin.authenticate("rs_unknown", created.secret())).isEmpty();
    assertThat(admin.authenticate(id, "")).isEmpty();
    assertThat(admin.authenticate("", created.secret())).isEmpty();
    assertThat(admin.authenticate(id, "s".repeat(513))).isEmpty();
    assertThat(admin.authenticate("r".repeat(129), created.secret())).isEmpty();
  }

  @Test
  void deleteWhenPresentThenCredentialStopsWorkingAndDeletionAudited() {
    ResourceServerAdmin.Created created = admin.create("billing", NOTE);
    String id = created.server().id();

    admin.delete(id, new ChangeNote("admin_key_1", "{}"));

    assertThat(admin.authenticate(id, created.secret())).isEmpty();
    assertThatThrownBy(() -> admin.get(id)).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> admin.delete(id, NOTE))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(id);
    assertThat(audited)
        .extracting(e -> ((AuditEvent.AdminChange) e).type())
        .containsExactly("resource_server.created", "resource_server.deleted");
  }

  @Test
  void listWhenCursorUnknownThenValidationErrorNamingAfter() {
    assertThatThrownBy(
            () ->
                admin.list(new PageRequest(10, Optional.of("rs_gone"), PageRequest.SortOrder.ASC)))
        .isInstanceOfSatisfying(
            AdminValidationException.class, e -> assertThat(e.param()).isEqualTo("after"));
  }
}
