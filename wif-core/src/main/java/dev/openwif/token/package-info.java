@NullMarked
package dev.openwif.token;

import org.jspecify.annotations.NullMarked;
