/**
 * The {@code /v1} API: bearer access tokens checked against the verified-token cache and the
 * federation snapshot, scopes per route, and the offline demo model.
 */
@NullMarked
package dev.openwif.server.gateway;

import org.jspecify.annotations.NullMarked;
