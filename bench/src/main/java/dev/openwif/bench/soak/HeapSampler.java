package dev.openwif.bench.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Samples the server process's memory: a full GC ({@code jcmd PID GC.run}), then the heap used and
 * committed ({@code jcmd PID GC.heap_info}) and the process RSS ({@code /proc/PID/status}). Each
 * {@code jcmd} is bounded to 30 s. Thread-safe.
 */
final class HeapSampler {
  /** One sample: seconds into the run, heap used after a full GC, heap committed, RSS (MB). */
  record Sample(long second, String label, double usedMb, double committedMb, double rssMb) {}

  private static final Pattern HEAP = Pattern.compile("committed (\\d+)K, used (\\d+)K");
  private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");

  private final String jcmd;
  private final long pid;
  private final List<Sample> samples = new ArrayList<>();

  HeapSampler(String jcmd, long pid) {
    this.jcmd = jcmd;
    this.pid = pid;
  }

  /** Takes a sample; empty (and nothing recorded) when jcmd failed. */
  synchronized Optional<Sample> sample(long second, String label) throws InterruptedException {
    run("GC.run");
    Optional<String> info = run("GC.heap_info");
    if (info.isEmpty()) {
      return Optional.empty();
    }
    Matcher m = HEAP.matcher(info.get());
    if (!m.find()) {
      return Optional.empty();
    }
    double committed = Long.parseLong(m.group(1)) / 1024.0;
    double used = Long.parseLong(m.group(2)) / 1024.0;
    double rss = 0;
    try {
      Matcher r =
          RSS.matcher(
              Files.readString(Path.of("/proc/" + pid + "/status"), StandardCharsets.UTF_8));
      if (r.find()) {
        rss = Long.parseLong(r.group(1)) / 1024.0;
      }
    } catch (IOException e) {
      // no /proc (not Linux): RSS stays 0
    }
    Sample s = new Sample(second, label, used, committed, rss);
    samples.add(s);
    return Optional.of(s);
  }

  synchronized List<Sample> samples() {
    return List.copyOf(samples);
  }

  private Optional<String> run(String command) throws InterruptedException {
    Path out = null;
    try {
      out = Files.createTempFile("wif-soak-jcmd", ".txt");
      Process p =
          new ProcessBuilder(jcmd, Long.toString(pid), command)
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Optional.empty();
      }
      return p.exitValue() == 0
          ? Optional.of(Files.readString(out, StandardCharsets.UTF_8))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } finally {
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException e) {
          // a temporary file left behind is harmless
        }
      }
    }
  }
}
