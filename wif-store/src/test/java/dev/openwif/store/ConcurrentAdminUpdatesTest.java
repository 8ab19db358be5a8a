package dev.openwif.store;

import static dev.openwif.store.Records.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.audit.AuditLog;
import dev.openwif.audit.AuditQuery;
import dev.openwif.federation.FederationRule;
import dev.openwif.federation.RandomIdGenerator;
import dev.openwif.federation.admin.AdminAudit;
import dev.openwif.federation.admin.AdminWriteLock;
import dev.openwif.federation.admin.ChangeNote;
import dev.openwif.federation.admin.RuleAdmin;
import dev.openwif.federation.admin.RulePatch;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Two nodes (two stores, each with its own connections and its own node-local {@link
 * AdminWriteLock}) on one database PATCH different fields of the same rule at the same time, many
 * times: node A edits the description, node B toggles {@code enabled}. Each node checks, before
 * each of its writes and at the end, that the field only it writes still holds the value it wrote
 * last: a partial update computed from a stale read (a lost update) would put back an older value,
 * e.g. re-enable a rule node B had just disabled.
 */
class ConcurrentAdminUpdatesTest {
  private static final int ROUNDS = 80;
  private static final ChangeNote NOTE = new ChangeNote("test", "{}");

  private static RuleAdmin ruleAdmin(JdbcFederationStore store) {
    RandomIdGenerator ids = new RandomIdGenerator();
    return new RuleAdmin(
        store,
        new AdminWriteLock(store.adminTransactions()),
        new AdminAudit(store.adminAuditSink(), Clock.systemUTC(), ids),
        () -> {},
        Clock.systemUTC(),
        ids);
  }

  private static RulePatch description(String d) {
    return new RulePatch(
        Optional.empty(),
        Optional.of(Optional.of(d)),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  private static RulePatch enabled(boolean enabled) {
    return new RulePatch(
        Optional.empty(),
        Optional.empty(),
        Optional.of(enabled),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  @StoreTest
  void patchWhenTwoNodesEditDifferentFieldsConcurrentlyThenNoUpdateIsLost(StoreFixture fixture)
      throws Exception {
    JdbcFederationStore nodeA = fixture.store();
    nodeA.projects().insert(Records.project("proj_1", at(0)));
    nodeA.serviceAccounts().insert(Records.serviceAccount("sa_1", "proj_1", at(0)));
    nodeA.providers().insert(Records.provider("wip_1", "google", at(0)));
    nodeA.rules().insert(Records.rule("wifr_1", "wip_1", Optional.of("r"), "sa_1", at(1)));
    ConcurrentLinkedQueue<String> lost = new ConcurrentLinkedQueue<>();
    CyclicBarrier start = new CyclicBarrier(2);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try (JdbcFederationStore nodeB = Stores.open(fixture.spec())) {
      RuleAdmin adminA = ruleAdmin(nodeA);
      RuleAdmin adminB = ruleAdmin(nodeB);
      Future<?> editor =
          threads.submit(
              () -> {
                start.await(10, TimeUnit.SECONDS);
                Optional<String> last = Optional.empty();
                for (int i = 0; i < ROUNDS; i++) {
                  FederationRule now = adminA.get("wip_1", "wifr_1");
                  if (!now.description().equals(last)) {
                    lost.add("round " + i + ": description " + now.description() + " not " + last);
                  }
                  adminA.update("wip_1", "wifr_1", description("edit " + i), NOTE);
                  last = Optional.of("edit " + i);
                }
                return null;
              });
      Future<?> toggler =
          threads.submit(
              () -> {
                start.await(10, TimeUnit.SECONDS);
                boolean last = true;
                for (int i = 0; i < ROUNDS; i++) {
                  FederationRule now = adminB.get("wip_1", "wifr_1");
                  if (now.enabled() != last) {
                    lost.add("round " + i + ": enabled " + now.enabled() + " not " + last);
                  }
                  // ends disabled (ROUNDS is even): the last toggle is enabled=false
                  adminB.update("wip_1", "wifr_1", enabled(i % 2 == 1 ? false : true), NOTE);
                  last = i % 2 != 1;
                }
                return null;
              });
      editor.get(90, TimeUnit.SECONDS);
      toggler.get(90, TimeUnit.SECONDS);
    } finally {
      threads.shutdownNow();
    }

    FederationRule end = nodeA.rules().find("wifr_1").orElseThrow();
    assertThat(lost).as("updates lost to a concurrent one").isEmpty();
    assertThat(end.description()).contains("edit " + (ROUNDS - 1));
    assertThat(end.enabled()).as("the rule node B disabled last stays disabled").isFalse();
    // every update has its audit row, stored with it
    assertThat(count(nodeA, "workload_identity_provider_mapping.updated")).isEqualTo(2 * ROUNDS);
  }

  /**
   * The audit row is part of the change's transaction: when it cannot be stored (here its id is
   * taken already), the change is rolled back and the caller gets the failure, instead of a stored
   * change without its audit row.
   */
  @StoreTest
  void updateWhenAuditRowCannotBeStoredThenChangeRolledBack(JdbcFederationStore store) {
    store.projects().insert(Records.project("proj_1", at(0)));
    store.serviceAccounts().insert(Records.serviceAccount("sa_1", "proj_1", at(0)));
    store.providers().insert(Records.provider("wip_1", "google", at(0)));
    store.rules().insert(Records.rule("wifr_1", "wip_1", Optional.of("r"), "sa_1", at(1)));
    // every audit event gets the same id: the second one breaks the audit log's unique id
    RuleAdmin admin =
        new RuleAdmin(
            store,
            new AdminWriteLock(store.adminTransactions()),
            new AdminAudit(store.adminAuditSink(), Clock.systemUTC(), prefix -> prefix + "_same"),
            () -> {},
            Clock.systemUTC(),
            new RandomIdGenerator());
    admin.update("wip_1", "wifr_1", description("first"), NOTE);

    Throwable refused =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> admin.update("wip_1", "wifr_1", enabled(false), NOTE));

    assertThat(refused).as("the failed audit insert fails the change").isNotNull();
    FederationRule stored = store.rules().find("wifr_1").orElseThrow();
    assertThat(stored.enabled()).as("the unaudited change is not stored").isTrue();
    assertThat(stored.description()).contains("first");
  }

  private static int count(JdbcFederationStore store, String type) {
    int n = 0;
    Optional<String> after = Optional.empty();
    while (true) {
      AuditLog.Result page =
          store
              .auditLog()
              .list(new AuditQuery(Set.of(type), Optional.empty(), Optional.empty(), 100, after));
      n += page.data().size();
      if (!page.hasMore()) {
        return n;
      }
      after = Optional.of(page.data().getLast().id());
    }
  }
}
