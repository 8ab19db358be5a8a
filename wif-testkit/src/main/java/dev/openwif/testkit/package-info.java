/**
 * Test support shared by the modules' tests: a hand-moved clock, an in-process OIDC issuer, test
 * keys and a JWT builder.
 */
@NullMarked
package dev.openwif.testkit;

import org.jspecify.annotations.NullMarked;
