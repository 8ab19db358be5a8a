package dev.openwif.directory;

import static dev.openwif.directory.Fixtures.account;
import static dev.openwif.directory.Fixtures.project;
import static dev.openwif.directory.Fixtures.provider;
import static dev.openwif.directory.Fixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWK;
import dev.openwif.federation.ProviderRepository;
import dev.openwif.oidc.KeySource;
import dev.openwif.testkit.MutableClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The maximum snapshot age of {@link InMemoryFederationDirectory}: a snapshot no rebuild has
 * replaced for longer than the maximum age (the repositories fail) is reported stale, with the
 * reason; a successful rebuild makes it fresh again at once.
 */
class SnapshotAgeTest {
  private final InMemoryRepositories repos = new InMemoryRepositories();
  private final MutableClock clock = MutableClock.fixed();
  private final AtomicBoolean databaseDown = new AtomicBoolean();
  private InMemoryFederationDirectory directory;

  @BeforeEach
  void setUp() {
    repos.projects.insert(project("proj_1", false));
    repos.serviceAccounts.insert(account("svc_1", "proj_1"));
    repos.providers.insert(provider("wip_1", "{\"keys\":[]}"));
    repos.rules.insert(rule("wifr_1", "wip_1", "svc_1", true, Map.of("sub", "a")));
    directory =
        new InMemoryFederationDirectory(
            failingWhenDown(repos.providers),
            repos.rules,
            repos.serviceAccounts,
            repos.projects,
            p -> new NoKeys(),
            clock,
            Duration.ofSeconds(60));
    directory.federationChanged();
  }

  @Test
  void stalenessWhenReadsSucceedThenFreshHoweverLongTheServerRuns() {
    for (int i = 0; i < 10; i++) {
      clock.advance(Duration.ofSeconds(50));
      directory.federationChanged();
      assertThat(directory.staleness()).isEmpty();
    }
    assertThat(directory.snapshotAge()).isEqualTo(Duration.ZERO);
  }

  @Test
  void stalenessWhenReadsFailPastTheMaximumAgeThenStaleWithTheReasonUntilAReadSucceeds() {
    databaseDown.set(true);
    clock.advance(Duration.ofSeconds(60));
    assertThatThrownBy(directory::federationChanged).isInstanceOf(IllegalStateException.class);
    assertThat(directory.staleness()).as("exactly the maximum age is still fresh").isEmpty();
    assertThat(directory.snapshot().provider("wip_1")).as("old snapshot still served").isPresent();

    clock.advance(Duration.ofSeconds(1));
    assertThatThrownBy(directory::federationChanged).isInstanceOf(IllegalStateException.class);

    assertThat(directory.snapshotAge()).isEqualTo(Duration.ofSeconds(61));
    assertThat(directory.staleness())
        .hasValueSatisfying(
            why ->
                assertThat(why)
                    .contains("last read 61 s ago")
                    .contains("maximum snapshot age of 60 s"));

    databaseDown.set(false);
    directory.federationChanged();
    assertThat(directory.staleness()).isEmpty();
    assertThat(directory.snapshotAge()).isEqualTo(Duration.ZERO);
  }

  @Test
  void stalenessWhenTheFirstReadNeverSucceedsThenStaleOnceTheMaximumAgePassed() {
    InMemoryFederationDirectory neverLoaded =
        new InMemoryFederationDirectory(
            failingWhenDown(repos.providers),
            repos.rules,
            repos.serviceAccounts,
            repos.projects,
            p -> new NoKeys(),
            clock,
            Duration.ofSeconds(60));
    clock.advance(Duration.ofSeconds(61));

    assertThat(neverLoaded.staleness()).isPresent();
  }

  @Test
  void stalenessWhenAFixedDirectoryThenNeverStale() {
    FederationDirectory fixed = FederationSnapshot::empty;

    assertThat(fixed.staleness()).isEmpty();
  }

  private ProviderRepository failingWhenDown(ProviderRepository real) {
    return (ProviderRepository)
        Proxy.newProxyInstance(
            ProviderRepository.class.getClassLoader(),
            new Class<?>[] {ProviderRepository.class},
            (proxy, method, args) -> {
              if (databaseDown.get()) {
                throw new IllegalStateException("database unreachable");
              }
              try {
                return method.invoke(real, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private static final class NoKeys implements KeySource {
    @Override
    public Optional<JWK> keyFor(String kid) {
      return Optional.empty();
    }
  }
}
