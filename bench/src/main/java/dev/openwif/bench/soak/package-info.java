/**
 * The soak driver behind {@code bench/run-soak.sh}: for a bounded time it sends good and hostile
 * token exchanges, good and hostile gateway calls and admin writes to a real server process, takes
 * its issuer down and restarts its database on a schedule, samples the server's heap, and at the
 * end accounts for every token accepted, every acknowledged admin write and every audit row.
 */
@NullMarked
package dev.openwif.bench.soak;

import org.jspecify.annotations.NullMarked;
