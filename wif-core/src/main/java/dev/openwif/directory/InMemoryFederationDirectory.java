package dev.openwif.directory;

import dev.openwif.attribute.CompiledTransformations;
import dev.openwif.attribute.InvalidTransformationException;
import dev.openwif.federation.FederationChangeListener;
import dev.openwif.federation.FederationRule;
import dev.openwif.federation.PageRequest;
import dev.openwif.federation.Project;
import dev.openwif.federation.ProjectRepository;
import dev.openwif.federation.ProviderRepository;
import dev.openwif.federation.RuleRepository;
import dev.openwif.federation.ServiceAccount;
import dev.openwif.federation.ServiceAccountRepository;
import dev.openwif.federation.WorkloadIdentityProvider;
import dev.openwif.oidc.KeySource;
import dev.openwif.oidc.VerificationPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Serves the federation configuration from memory (the hot path never waits on the database,
 * docs/architecture.md). {@link #snapshot()} is a volatile read; {@link #federationChanged()}
 * (called by the admin use cases after each committed change, and once at start) re-reads every
 * repository, builds a new {@link FederationSnapshot} and swaps it in atomically, so an exchange
 * sees either the old or the new configuration, never a mix.
 *
 * <p>Key sources are expensive (a discovery key source fetches and refreshes in the background): a
 * provider whose issuer and verification are unchanged keeps its key source, and its cached keys,
 * across rebuilds; key sources of providers that were removed, disabled or changed are closed after
 * the swap. Compiled transformations are kept likewise while unchanged.
 *
 * <p>A snapshot has a maximum age: when no rebuild has succeeded for longer (the database cannot be
 * read), {@link #staleness()} says so and the exchange and the gateway stop honouring it (fail
 * closed) until the next successful rebuild. {@link #snapshotAge()} tells how old it is.
 *
 * <p>Thread-safe: rebuilds are serialised; readers never block.
 */
public final class InMemoryFederationDirectory
    implements FederationDirectory, FederationChangeListener, AutoCloseable {
  private final ProviderRepository providers;
  private final RuleRepository rules;
  private final ServiceAccountRepository serviceAccounts;
  private final ProjectRepository projects;
  private final Function<WorkloadIdentityProvider, KeySource> keySources;
  private final Clock clock;
  private final Duration maxAge;
  private volatile FederationSnapshot current = FederationSnapshot.empty();
  private volatile Instant loadedAt;

  /** The maximum snapshot age when none is given. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(5);

  /** A directory on the system clock whose snapshots may be {@link #DEFAULT_MAX_AGE} old. */
  public InMemoryFederationDirectory(
      ProviderRepository providers,
      RuleRepository rules,
      ServiceAccountRepository serviceAccounts,
      ProjectRepository projects,
      Function<WorkloadIdentityProvider, KeySource> keySources) {
    this(
        providers,
        rules,
        serviceAccounts,
        projects,
        keySources,
        Clock.systemUTC(),
        DEFAULT_MAX_AGE);
  }

  /**
   * @param keySources makes the key source of an enabled provider (discovery or uploaded JWKS);
   *     what it returns is closed when the provider goes away if it is {@link AutoCloseable}
   * @param clock tells a snapshot's age
   * @param maxAge how long after the last successful rebuild the snapshot is still honoured
   */
  public InMemoryFederationDirectory(
      ProviderRepository providers,
      RuleRepository rules,
      ServiceAccountRepository serviceAccounts,
      ProjectRepository projects,
      Function<WorkloadIdentityProvider, KeySource> keySources,
      Clock clock,
      Duration maxAge) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
    if (maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("maxAge must be positive, was " + maxAge);
    }
    this.loadedAt = clock.instant();
    this.providers = Objects.requireNonNull(providers, "providers");
    this.rules = Objects.requireNonNull(rules, "rules");
    this.serviceAccounts = Objects.requireNonNull(serviceAccounts, "serviceAccounts");
    this.projects = Objects.requireNonNull(projects, "projects");
    this.keySources = Objects.requireNonNull(keySources, "keySources");
  }

  @Override
  public FederationSnapshot snapshot() {
    return current;
  }

  /**
   * How long ago the snapshot in force was read from the repositories (since construction before
   * the first rebuild). For health and status reports.
   */
  public Duration snapshotAge() {
    Duration age = Duration.between(loadedAt, clock.instant());
    return age.isNegative() ? Duration.ZERO : age;
  }

  /** The maximum snapshot age: beyond it {@link #staleness()} is present. */
  public Duration maxAge() {
    return maxAge;
  }

  @Override
  public Optional<String> staleness() {
    Duration age = snapshotAge();
    if (age.compareTo(maxAge) <= 0) {
      return Optional.empty();
    }
    return Optional.of(
        "the federation configuration was last read "
            + age.toMillis() / 1000
            + " s ago, longer than the maximum snapshot age of "
            + maxAge.toSeconds()
            + " s (the database cannot be read)");
  }

  /**
   * Rebuilds the snapshot from the repositories. When reading fails the previous snapshot stays in
   * force (until it is older than the maximum age) and the exception propagates.
   */
  @Override
  public synchronized void federationChanged() {
    Instant started = clock.instant();
    FederationSnapshot previous = current;
    FederationSnapshot next = build(previous);
    current = next;
    loadedAt = started;
    closeUnused(previous, next);
  }

  private FederationSnapshot build(FederationSnapshot previous) {
    Map<String, ProviderState> providerStates = new LinkedHashMap<>();
    for (WorkloadIdentityProvider provider : providers.listAll()) {
      providerStates.put(provider.id(), stateOf(provider, previous.provider(provider.id())));
    }
    Map<String, List<FederationRule>> byProvider = new LinkedHashMap<>();
    Map<String, FederationRule> enabled = new LinkedHashMap<>();
    for (FederationRule rule : rules.listAll()) {
      if (rule.enabled()) {
        enabled.put(rule.id(), rule);
        byProvider.computeIfAbsent(rule.providerId(), id -> new ArrayList<>()).add(rule);
      }
    }
    byProvider.replaceAll((id, list) -> List.copyOf(list));
    Map<String, ServiceAccount> accounts = new LinkedHashMap<>();
    for (ServiceAccount account : serviceAccounts.listAll()) {
      accounts.put(account.id(), account);
    }
    return new FederationSnapshot(providerStates, byProvider, enabled, accounts, allProjects());
  }

  private Map<String, Project> allProjects() {
    Map<String, Project> all = new LinkedHashMap<>();
    Optional<String> after = Optional.empty();
    while (true) {
      var page = projects.list(new PageRequest(100, after, PageRequest.SortOrder.ASC), true);
      page.data().forEach(project -> all.put(project.id(), project));
      if (!page.hasMore() || page.data().isEmpty()) {
        return all;
      }
      after = Optional.of(page.data().getLast().id());
    }
  }

  private ProviderState stateOf(WorkloadIdentityProvider provider, Optional<ProviderState> before) {
    if (!provider.enabled()) {
      return new ProviderState.Disabled(provider);
    }
    Optional<ProviderState.Active> old =
        before.filter(ProviderState.Active.class::isInstance).map(ProviderState.Active.class::cast);
    try {
      // Transformations first: a failure there must not leave a freshly made key source unclosed.
      Optional<CompiledTransformations> unchanged =
          old.filter(
                  o ->
                      o.provider()
                          .attributeTransformations()
                          .equals(provider.attributeTransformations()))
              .map(ProviderState.Active::transformations);
      CompiledTransformations transformations =
          unchanged.isPresent()
              ? unchanged.get()
              : CompiledTransformations.compile(provider.attributeTransformations());
      KeySource keys =
          old.filter(o -> sameKeys(o.provider(), provider))
              .map(ProviderState.Active::keys)
              .orElseGet(() -> keySources.apply(provider));
      VerificationPolicy policy =
          VerificationPolicy.defaults(provider.issuer(), provider.audience());
      return new ProviderState.Active(provider, policy, keys, transformations);
    } catch (InvalidTransformationException e) {
      return new ProviderState.Misconfigured(
          provider, "transformation does not compile: " + e.getMessage());
    } catch (RuntimeException e) {
      return new ProviderState.Misconfigured(
          provider, "cannot set up key source: " + e.getMessage());
    }
  }

  private static boolean sameKeys(WorkloadIdentityProvider a, WorkloadIdentityProvider b) {
    return a.issuer().equals(b.issuer()) && a.verification().equals(b.verification());
  }

  private static void closeUnused(FederationSnapshot previous, FederationSnapshot next) {
    Set<KeySource> inUse = Collections.newSetFromMap(new IdentityHashMap<>());
    next.providers().values().forEach(state -> keysOf(state).ifPresent(inUse::add));
    for (ProviderState state : previous.providers().values()) {
      keysOf(state)
          .filter(keys -> !inUse.contains(keys))
          .ifPresent(InMemoryFederationDirectory::closeQuietly);
    }
  }

  private static Optional<KeySource> keysOf(ProviderState state) {
    return state instanceof ProviderState.Active active
        ? Optional.of(active.keys())
        : Optional.empty();
  }

  private static void closeQuietly(KeySource keys) {
    if (keys instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        // Closing only stops background refreshes; nothing to recover.
      }
    }
  }

  /** Closes every key source and serves an empty configuration from then on. */
  @Override
  public synchronized void close() {
    FederationSnapshot previous = current;
    current = FederationSnapshot.empty();
    closeUnused(previous, current);
  }
}
