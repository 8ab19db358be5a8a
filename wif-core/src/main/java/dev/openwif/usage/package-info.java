/**
 * Usage of the {@code /v1} gateway: calls counted per minute by project, service account, identity
 * provider, model and status class (requests, input and output tokens), kept in memory by {@link
 * dev.openwif.usage.UsageCounter} and added to a {@link dev.openwif.usage.UsageRepository} in
 * batches. Holds no prompt, no token and no key. A leaf package: it imports nothing of the core.
 */
@NullMarked
package dev.openwif.usage;

import org.jspecify.annotations.NullMarked;
