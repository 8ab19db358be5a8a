/**
 * The admin API under {@code /v1/organization}: projects, service accounts, workload identity
 * providers, federation rules and the audit log, in OpenAI's shapes; it translates HTTP to the
 * admin use cases of {@code dev.openwif.federation.admin} and back.
 */
@NullMarked
package dev.openwif.server.admin;

import org.jspecify.annotations.NullMarked;
