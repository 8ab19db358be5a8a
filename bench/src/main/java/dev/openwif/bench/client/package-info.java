/** JMH benchmarks of the workload-side client library ({@code wif-client}). */
@NullMarked
package dev.openwif.bench.client;

import org.jspecify.annotations.NullMarked;
