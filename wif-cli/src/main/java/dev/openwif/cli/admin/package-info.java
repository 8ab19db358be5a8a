/**
 * The remote admin commands of {@code wif} ({@code projects}, {@code service-accounts}, {@code
 * providers}, {@code rules}, {@code audit list|tail}) and what they share: {@link
 * dev.openwif.cli.admin.AdminApiClient}, the admin API over HTTP, and {@link
 * dev.openwif.cli.admin.AdminConnection}, the options that say which server and which admin key.
 */
@NullMarked
package dev.openwif.cli.admin;

import org.jspecify.annotations.NullMarked;
