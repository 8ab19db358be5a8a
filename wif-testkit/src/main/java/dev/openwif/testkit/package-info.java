@NullMarked
package dev.openwif.testkit;

import org.jspecify.annotations.NullMarked;
