@NullMarked
package dev.openwif.cli;

import org.jspecify.annotations.NullMarked;
