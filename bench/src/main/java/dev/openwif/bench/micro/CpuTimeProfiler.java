package dev.openwif.bench.micro;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.ScalarResult;

/**
 * CPU time per operation, so figures taken on a shared, loaded machine still say what an operation
 * costs: wall-clock throughput falls when other processes take the cores, CPU time per operation
 * does not (much). Reports, per iteration:
 *
 * <ul>
 *   <li>{@code cpu.worker} (µs/op): CPU time of the benchmark's worker threads divided by the
 *       operations — the operation's own cost; {@code 1e6 / cpu.worker} is operations per second
 *       per free core;
 *   <li>{@code cpu.process} (µs/op): CPU time of the whole JVM (JIT, GC included) per operation;
 *   <li>{@code cpu.share} (cores): the CPU the worker threads actually got, against the wall clock.
 * </ul>
 *
 * Use with {@code -prof dev.openwif.bench.micro.CpuTimeProfiler}. Needs thread CPU time measurement
 * (HotSpot on Linux has it). Used by one JMH control thread at a time.
 */
public final class CpuTimeProfiler implements InternalProfiler {
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
  private Map<Long, Long> workerCpuBefore = Map.of();
  private long processCpuBefore;
  private long wallBefore;

  @Override
  public String getDescription() {
    return "CPU time per operation (worker threads and whole process) and the CPU share the workers got";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    workerCpuBefore = workerCpu();
    processCpuBefore = processCpu();
    wallBefore = System.nanoTime();
  }

  @Override
  public List<ScalarResult> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    long wall = System.nanoTime() - wallBefore;
    long process = processCpu() - processCpuBefore;
    long worker = 0;
    for (Map.Entry<Long, Long> entry : workerCpu().entrySet()) {
      worker += entry.getValue() - workerCpuBefore.getOrDefault(entry.getKey(), 0L);
    }
    long ops = Math.max(1, result.getMetadata().getMeasuredOps());
    return List.of(
        new ScalarResult("cpu.worker", worker / 1e3 / ops, "us/op", AggregationPolicy.AVG),
        new ScalarResult("cpu.process", process / 1e3 / ops, "us/op", AggregationPolicy.AVG),
        new ScalarResult(
            "cpu.share", (double) worker / Math.max(1, wall), "cores", AggregationPolicy.AVG));
  }

  /** CPU nanoseconds of every live JMH worker thread, by thread id. */
  private Map<Long, Long> workerCpu() {
    Map<Long, Long> cpu = new HashMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().contains("jmh-worker")) {
        long nanos = threads.getThreadCpuTime(info.getThreadId());
        if (nanos >= 0) {
          cpu.put(info.getThreadId(), nanos);
        }
      }
    }
    return cpu;
  }

  private long processCpu() {
    return os instanceof com.sun.management.OperatingSystemMXBean hotspot
        ? hotspot.getProcessCpuTime()
        : 0L;
  }
}
