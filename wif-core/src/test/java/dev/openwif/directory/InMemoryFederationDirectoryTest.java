package dev.openwif.directory;

import static dev.openwif.directory.Fixtures.account;
import static dev.openwif.directory.Fixtures.project;
import static dev.openwif.directory.Fixtures.provider;
import static dev.openwif.directory.Fixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWK;
import dev.openwif.federation.AttributeTransformation;
import dev.openwif.federation.Verification;
import dev.openwif.federation.WorkloadIdentityProvider;
import dev.openwif.oidc.KeySource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InMemoryFederationDirectoryTest {
  private final InMemoryRepositories repos = new InMemoryRepositories();
  private final List<FakeKeySource> made = new ArrayList<>();
  private InMemoryFederationDirectory directory;

  static final class FakeKeySource implements KeySource, AutoCloseable {
    final String providerId;
    volatile boolean closed;

    FakeKeySource(String providerId) {
      this.providerId = providerId;
    }

    @Override
    public Optional<JWK> keyFor(String kid) {
      return Optional.empty();
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @BeforeEach
  void setUp() {
    directory =
        repos.directory(
            p -> {
              FakeKeySource keys = new FakeKeySource(p.id());
              made.add(keys);
              return keys;
            });
    repos.projects.insert(project("proj_1", false));
    repos.serviceAccounts.insert(account("svc_1", "proj_1"));
    repos.providers.insert(provider("wip_1", "{\"keys\":[]}"));
    repos.rules.insert(rule("wifr_1", "wip_1", "svc_1", true, Map.of("sub", "a")));
  }

  @Test
  void snapshotWhenNeverBuiltThenEmpty() {
    assertThat(directory.snapshot().providers()).isEmpty();
  }

  @Test
  void federationChangedWhenConfiguredThenSnapshotHoldsActiveProviderEnabledRulesAndAccounts() {
    repos.rules.insert(rule("wifr_off", "wip_1", "svc_1", false, Map.of("sub", "b")));

    directory.federationChanged();

    FederationSnapshot s = directory.snapshot();
    assertThat(s.provider("wip_1")).get().isInstanceOf(ProviderState.Active.class);
    assertThat(s.enabledRulesOf("wip_1")).extracting("id").containsExactly("wifr_1");
    assertThat(s.enabledRules()).containsOnlyKeys("wifr_1");
    assertThat(s.usableServiceAccount("svc_1")).isPresent();
    assertThat(made).hasSize(1);
  }

  @Test
  void federationChangedWhenProviderUnchangedThenKeySourceAndTransformationsAreKept() {
    directory.federationChanged();
    ProviderState.Active before =
        (ProviderState.Active) directory.snapshot().provider("wip_1").orElseThrow();
    WorkloadIdentityProvider p = repos.providers.byId.get("wip_1");
    repos.providers.update(
        new WorkloadIdentityProvider(
            p.id(),
            "renamed",
            Optional.of("d"),
            p.issuer(),
            "other-aud",
            true,
            p.attributeTransformations(),
            p.verification(),
            false,
            p.createdAt(),
            p.updatedAt()));

    directory.federationChanged();

    ProviderState.Active after =
        (ProviderState.Active) directory.snapshot().provider("wip_1").orElseThrow();
    assertThat(after.keys()).isSameAs(before.keys());
    assertThat(after.transformations()).isSameAs(before.transformations());
    assertThat(after.policy().audience()).isEqualTo("other-aud");
    assertThat(made).hasSize(1);
    assertThat(made.getFirst().closed).isFalse();
  }

  @Test
  void federationChangedWhenVerificationChangesThenNewKeySourceAndOldOneClosed() {
    directory.federationChanged();
    repos.providers.update(provider("wip_1", "{\"keys\":[{\"kty\":\"oct\"}]}"));

    directory.federationChanged();

    assertThat(made).hasSize(2);
    assertThat(made.get(0).closed).isTrue();
    assertThat(made.get(1).closed).isFalse();
    assertThat(((ProviderState.Active) directory.snapshot().provider("wip_1").orElseThrow()).keys())
        .isSameAs(made.get(1));
  }

  @Test
  void federationChangedWhenProviderDisabledOrDeletedThenKeySourceClosed() {
    repos.providers.insert(provider("wip_2", "{\"keys\":[]}"));
    directory.federationChanged();
    WorkloadIdentityProvider p = repos.providers.byId.get("wip_1");
    repos.providers.update(
        provider("wip_1", p.issuer(), false, p.verification(), p.attributeTransformations()));
    repos.providers.delete("wip_2");

    directory.federationChanged();

    assertThat(made).allMatch(k -> k.closed);
    assertThat(directory.snapshot().provider("wip_1"))
        .get()
        .isInstanceOf(ProviderState.Disabled.class);
    assertThat(directory.snapshot().provider("wip_2")).isEmpty();
  }

  @Test
  void federationChangedWhenTransformationDoesNotCompileThenMisconfiguredAndNoKeySourceMade() {
    repos.providers.update(
        provider(
            "wip_1",
            Fixtures.ISSUER,
            true,
            new Verification.UploadedJwks("{\"keys\":[]}"),
            List.of(new AttributeTransformation("team", "assertion.(("))));

    directory.federationChanged();

    assertThat(directory.snapshot().provider("wip_1"))
        .get()
        .isInstanceOf(ProviderState.Misconfigured.class);
    assertThat(made).isEmpty();
  }

  @Test
  void federationChangedWhenKeySourceCannotBeMadeThenMisconfigured() {
    InMemoryFederationDirectory failing =
        repos.directory(
            p -> {
              throw new IllegalArgumentException("bad discovery url");
            });

    failing.federationChanged();

    assertThat(failing.snapshot().provider("wip_1"))
        .get()
        .isEqualTo(
            new ProviderState.Misconfigured(
                repos.providers.byId.get("wip_1"), "cannot set up key source: bad discovery url"));
  }

  @Test
  void federationChangedWhenManyProjectsThenAllPagesAreRead() {
    for (int i = 0; i < 250; i++) {
      repos.projects.insert(project(String.format("proj_x%03d", i), i % 2 == 0));
    }

    directory.federationChanged();

    assertThat(directory.snapshot().projects()).hasSize(251);
  }

  @Test
  void revocationReasonWhenEverythingInForceThenEmptyOtherwiseNamesTheCause() {
    repos.projects.insert(project("proj_old", true));
    repos.serviceAccounts.insert(account("svc_old", "proj_old"));
    repos.rules.insert(rule("wifr_old", "wip_1", "svc_old", true, Map.of("sub", "a")));
    repos.rules.insert(rule("wifr_off", "wip_1", "svc_1", false, Map.of("sub", "a")));
    directory.federationChanged();
    FederationSnapshot s = directory.snapshot();

    assertThat(s.revocationReason("wip_1", "wifr_1", "svc_1")).isEmpty();
    assertThat(s.revocationReason("wip_9", "wifr_1", "svc_1"))
        .contains("provider wip_9 no longer exists");
    assertThat(s.revocationReason("wip_1", "wifr_off", "svc_1"))
        .contains("rule wifr_off is deleted or disabled");
    assertThat(s.revocationReason("wip_1", "wifr_1", "svc_2"))
        .contains("rule wifr_1 no longer maps provider wip_1 to svc_2");
    assertThat(s.revocationReason("wip_1", "wifr_old", "svc_old"))
        .contains("service account svc_old is deleted or its project archived");
  }

  @Test
  void closeWhenCalledThenEveryKeySourceClosedAndSnapshotEmpty() {
    directory.federationChanged();

    directory.close();

    assertThat(made).allMatch(k -> k.closed);
    assertThat(directory.snapshot().providers()).isEmpty();
  }
}
