/**
 * The {@code wif} command line (picocli): {@code serve}, {@code demo}, {@code emulate}, {@code
 * token decode} and the admin key commands. Entry point: {@link dev.openwif.cli.WifCommand}.
 */
@NullMarked
package dev.openwif.cli;

import org.jspecify.annotations.NullMarked;
