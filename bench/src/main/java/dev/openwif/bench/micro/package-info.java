/**
 * JMH benchmarks of the server's hot paths, wired in-process the way the server's composition root
 * wires them: subject-token verification, access-token minting, the whole token exchange, and the
 * gateway's access-token verification (cache hit and cache miss). Run with {@code
 * bench/run-micro-bench.sh}.
 */
@NullMarked
package dev.openwif.bench.micro;

import org.jspecify.annotations.NullMarked;
