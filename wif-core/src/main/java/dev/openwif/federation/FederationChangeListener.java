package dev.openwif.federation;

/**
 * Told after every committed change to providers, rules, projects or service accounts, so in-memory
 * snapshots (the exchange path never reads the database) are rebuilt.
 */
@FunctionalInterface
public interface FederationChangeListener {
  void federationChanged();
}
