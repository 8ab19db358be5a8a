/**
 * Attaches workload-identity access tokens to {@code java.net.http} requests, re-authenticating
 * once on a 401 as the official SDKs do.
 */
@NullMarked
package dev.openwif.client.http;

import org.jspecify.annotations.NullMarked;
