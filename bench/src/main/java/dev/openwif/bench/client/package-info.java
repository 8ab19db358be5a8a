/** JMH benchmarks of the workload-side client library ({@code wif-client}). */
package dev.openwif.bench.client;
