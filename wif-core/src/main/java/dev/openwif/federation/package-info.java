/**
 * Federation configuration: projects, service accounts, workload identity providers and federation
 * rules ("service account mappings"), their admin validation, and the ports through which they are
 * stored.
 *
 * <p>Values are immutable records validated in their compact constructors; optional values are
 * {@link java.util.Optional}, never {@code null}.
 */
package dev.openwif.federation;
