/**
 * The admin dashboard under {@code /dashboard} (behind the public URL's path, if any):
 * server-rendered HTML pages (JTE templates compiled at build time into {@code
 * dashboard.templates}) over the core's admin use cases, behind a server-side session opened with
 * an admin key, with CSRF tokens on every form and a strict Content-Security-Policy.
 */
@NullMarked
package dev.openwif.server.dashboard;

import org.jspecify.annotations.NullMarked;
