/**
 * Federation configuration, the domain: projects, service accounts, workload identity providers and
 * federation rules ("service account mappings") as immutable records, the repository ports through
 * which they are stored ({@link dev.openwif.federation.FederationStore}), ids, pages, and the
 * exceptions a port or use case raises (conflict, not found, validation). The admin use cases that
 * change them are in {@link dev.openwif.federation.admin}.
 *
 * <p>Values are immutable records validated in their compact constructors; optional values are
 * {@link java.util.Optional}, never {@code null}.
 */
@NullMarked
package dev.openwif.federation;

import org.jspecify.annotations.NullMarked;
