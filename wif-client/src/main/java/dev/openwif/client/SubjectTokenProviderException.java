package dev.openwif.client;

/**
 * The subject token provider failed, so no exchange was attempted. {@link #provider()} names it
 * (its {@link SubjectTokenProvider#description()}); the cause holds the provider's own error.
 */
public final class SubjectTokenProviderException extends WorkloadIdentityException {
  private final String provider;

  SubjectTokenProviderException(String provider, Throwable cause) {
    super("Subject token provider " + provider + " failed: " + cause.getMessage(), cause);
    this.provider = provider;
  }

  /** The description of the provider that failed. */
  public String provider() {
    return provider;
  }
}
