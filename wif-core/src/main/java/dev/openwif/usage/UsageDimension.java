package dev.openwif.usage;

/** What usage can be grouped and filtered by. */
public enum UsageDimension {
  PROJECT,
  SERVICE_ACCOUNT,
  PROVIDER,
  MODEL,
  STATUS_CLASS;

  /** This dimension's value in {@code key}. */
  public String of(UsageKey key) {
    return switch (this) {
      case PROJECT -> key.projectId();
      case SERVICE_ACCOUNT -> key.serviceAccountId();
      case PROVIDER -> key.providerId();
      case MODEL -> key.model();
      case STATUS_CLASS -> key.statusClass();
    };
  }
}
