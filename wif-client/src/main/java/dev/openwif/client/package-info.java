/**
 * The workload side of workload identity federation: get a subject token from the platform,
 * exchange it at an RFC 8693 token endpoint (OpenAI's or a self-hosted OpenWIF server), cache and
 * refresh the short-lived access token, and attach it to API calls.
 *
 * <p>Start with {@link dev.openwif.client.WorkloadIdentityCredentials#builder()} or {@link
 * dev.openwif.client.WorkloadIdentityEnvironment#credentials()}. Built-in subject token providers
 * live in {@code dev.openwif.client.provider}; the {@code java.net.http} helper in {@code
 * dev.openwif.client.http}; the adapter for the official {@code openai-java} SDK in {@code
 * dev.openwif.client.openai} (the only part that needs that SDK on the class path).
 *
 * <p>This package depends on the JDK and Jackson only.
 */
@NullMarked
package dev.openwif.client;

import org.jspecify.annotations.NullMarked;
