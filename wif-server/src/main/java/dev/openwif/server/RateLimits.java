package dev.openwif.server;

import dev.openwif.server.admin.AdminAuthThrottle;
import dev.openwif.server.gateway.BearerFailureLimit;
import dev.openwif.server.sts.ExchangeRateLimiter;

/**
 * Abuse limits of {@code wif serve}: token buckets on {@code POST /oauth/token} per client address
 * and per identity provider (429 {@code slow_down} with {@code Retry-After} beyond them), and how
 * many failed admin-key authentications a client address may make per minute (429 beyond it, for a
 * minute at most).
 *
 * <p>The client address is the TCP peer: behind a load balancer or proxy every client shares its
 * address, so raise {@code exchangesPerAddressPerSecond} there (forwarded headers are not trusted,
 * they are trivially forged).
 *
 * @param exchangesPerAddressPerSecond sustained exchanges per client address (default 50)
 * @param exchangeBurstPerAddress exchanges a client address may make at once (default 100)
 * @param exchangesPerProviderPerSecond sustained exchanges per identity provider (default 200)
 * @param exchangeBurstPerProvider exchanges a provider may see at once (default 400)
 * @param adminAuthFailuresPerMinute failed admin authentications per client address per minute
 *     (default 10)
 * @param exchangeFailuresPerProviderPerSecond sustained failed subject-token verifications per
 *     identity provider before failing addresses are slowed (default 20); good exchanges are
 *     counted apart, after verification
 * @param exchangeFailureBurstPerProvider failed verifications a provider may see at once (default
 *     100)
 * @param bearerFailuresPerAddressPerSecond sustained failed bearer-token verifications on {@code
 *     /v1} per client address (default 2); beyond them 429 before any verification
 * @param bearerFailureBurstPerAddress failed bearer verifications a client address may make at once
 *     (default 20)
 */
public record RateLimits(
    double exchangesPerAddressPerSecond,
    int exchangeBurstPerAddress,
    double exchangesPerProviderPerSecond,
    int exchangeBurstPerProvider,
    int adminAuthFailuresPerMinute,
    double exchangeFailuresPerProviderPerSecond,
    int exchangeFailureBurstPerProvider,
    double bearerFailuresPerAddressPerSecond,
    int bearerFailureBurstPerAddress) {
  public static final double DEFAULT_EXCHANGES_PER_ADDRESS_PER_SECOND =
      ExchangeRateLimiter.DEFAULT_PER_ADDRESS_PER_SECOND;
  public static final int DEFAULT_EXCHANGE_BURST_PER_ADDRESS =
      ExchangeRateLimiter.DEFAULT_PER_ADDRESS_BURST;
  public static final double DEFAULT_EXCHANGES_PER_PROVIDER_PER_SECOND =
      ExchangeRateLimiter.DEFAULT_PER_PROVIDER_PER_SECOND;
  public static final int DEFAULT_EXCHANGE_BURST_PER_PROVIDER =
      ExchangeRateLimiter.DEFAULT_PER_PROVIDER_BURST;
  public static final int DEFAULT_ADMIN_AUTH_FAILURES_PER_MINUTE =
      AdminAuthThrottle.DEFAULT_FAILURES_PER_MINUTE;
  public static final double DEFAULT_EXCHANGE_FAILURES_PER_PROVIDER_PER_SECOND =
      ExchangeRateLimiter.DEFAULT_FAILURES_PER_PROVIDER_PER_SECOND;
  public static final int DEFAULT_EXCHANGE_FAILURE_BURST_PER_PROVIDER =
      ExchangeRateLimiter.DEFAULT_FAILURE_BURST_PER_PROVIDER;
  public static final double DEFAULT_BEARER_FAILURES_PER_ADDRESS_PER_SECOND =
      BearerFailureLimit.DEFAULT_PER_SECOND;
  public static final int DEFAULT_BEARER_FAILURE_BURST_PER_ADDRESS =
      BearerFailureLimit.DEFAULT_BURST;

  public RateLimits {
    positive("exchangesPerAddressPerSecond", exchangesPerAddressPerSecond);
    positive("exchangesPerProviderPerSecond", exchangesPerProviderPerSecond);
    positive("exchangeFailuresPerProviderPerSecond", exchangeFailuresPerProviderPerSecond);
    positive("bearerFailuresPerAddressPerSecond", bearerFailuresPerAddressPerSecond);
    if (exchangeBurstPerAddress < 1
        || exchangeBurstPerProvider < 1
        || adminAuthFailuresPerMinute < 1
        || exchangeFailureBurstPerProvider < 1
        || bearerFailureBurstPerAddress < 1) {
      throw new IllegalArgumentException(
          "bursts and the admin authentication failure limit must be at least 1");
    }
  }

  /** These limits with the default budgets of failed verifications. */
  public RateLimits(
      double exchangesPerAddressPerSecond,
      int exchangeBurstPerAddress,
      double exchangesPerProviderPerSecond,
      int exchangeBurstPerProvider,
      int adminAuthFailuresPerMinute) {
    this(
        exchangesPerAddressPerSecond,
        exchangeBurstPerAddress,
        exchangesPerProviderPerSecond,
        exchangeBurstPerProvider,
        adminAuthFailuresPerMinute,
        DEFAULT_EXCHANGE_FAILURES_PER_PROVIDER_PER_SECOND,
        DEFAULT_EXCHANGE_FAILURE_BURST_PER_PROVIDER,
        DEFAULT_BEARER_FAILURES_PER_ADDRESS_PER_SECOND,
        DEFAULT_BEARER_FAILURE_BURST_PER_ADDRESS);
  }

  /** A copy with these budgets of failed verifications (token exchange and {@code /v1}). */
  public RateLimits withFailureLimits(
      double exchangeFailuresPerProviderPerSecond,
      int exchangeFailureBurstPerProvider,
      double bearerFailuresPerAddressPerSecond,
      int bearerFailureBurstPerAddress) {
    return new RateLimits(
        exchangesPerAddressPerSecond,
        exchangeBurstPerAddress,
        exchangesPerProviderPerSecond,
        exchangeBurstPerProvider,
        adminAuthFailuresPerMinute,
        exchangeFailuresPerProviderPerSecond,
        exchangeFailureBurstPerProvider,
        bearerFailuresPerAddressPerSecond,
        bearerFailureBurstPerAddress);
  }

  public static RateLimits defaults() {
    return new RateLimits(
        DEFAULT_EXCHANGES_PER_ADDRESS_PER_SECOND,
        DEFAULT_EXCHANGE_BURST_PER_ADDRESS,
        DEFAULT_EXCHANGES_PER_PROVIDER_PER_SECOND,
        DEFAULT_EXCHANGE_BURST_PER_PROVIDER,
        DEFAULT_ADMIN_AUTH_FAILURES_PER_MINUTE);
  }

  private static void positive(String name, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(name + " must be a positive number, was " + value);
    }
  }
}
