/**
 * Federation-rule matching: given a verified subject token's claims and the attributes its
 * provider's transformations produced, decide which enabled rule (if any) lets the workload act as
 * the requested service account. The result is a sealed {@link dev.openwif.policy.MatchDecision}; a
 * refusal carries a precise, human-readable reason for the audit log (read through the admin API).
 */
@NullMarked
package dev.openwif.policy;

import org.jspecify.annotations.NullMarked;
