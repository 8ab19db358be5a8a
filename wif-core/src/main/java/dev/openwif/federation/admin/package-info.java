/**
 * The admin use cases over the federation configuration: create, read, update and delete projects,
 * service accounts, workload identity providers and federation rules ({@link
 * dev.openwif.federation.admin.ProjectAdmin}, {@link dev.openwif.federation.admin.ProviderAdmin},
 * ...), their drafts and patches, the validation of what an admin writes, admin keys, and the audit
 * of every change. Each use case writes through the ports of {@link dev.openwif.federation} and
 * tells a {@link dev.openwif.federation.FederationChangeListener} after every committed change. No
 * HTTP or SQL types here.
 */
@NullMarked
package dev.openwif.federation.admin;

import org.jspecify.annotations.NullMarked;
