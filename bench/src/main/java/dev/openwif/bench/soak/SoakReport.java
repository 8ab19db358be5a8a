package dev.openwif.bench.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Checks the soak's invariants and prints its figures as Markdown tables (ready for
 * bench/README.md), then one line per invariant and the verdict.
 *
 * <p>The rules, also in bench/README.md:
 *
 * <ul>
 *   <li><b>Wrongly accepted tokens</b>: hostile exchanges and hostile bearer tokens answered 2xx.
 *       429 and 503 are refusals. Must be 0.
 *   <li><b>Lost acknowledged admin writes</b>: an object whose create was acknowledged (2xx) is
 *       missing, or its name is neither the last acknowledged one nor one attempted after it
 *       without an answer. Must be 0.
 *   <li><b>Audit accounted for</b>: every accepted exchange's access-token {@code jti} is in a
 *       {@code token_exchange.succeeded} row; successful events ≤ accepted exchanges + exchanges
 *       that got no answer; all exchange events (a row with a numeric {@code count} counts that
 *       many, any other row one) lie between the exchanges answered minus those answered 5xx (the
 *       server may refuse without recording when its audit path fails) and the exchanges sent;
 *       every acknowledged admin write has its audit row; the whole log was read.
 *   <li><b>Memory flat</b>: the heap used after a full GC, from the first sample after the warm-up
 *       (the first 60 s or fifth of the run) to the sample after the load, grew by at most 16 MB,
 *       and no sample in between exceeded that first one by more than 32 MB.
 *   <li><b>Good traffic</b>: outside the fault windows, no good exchange or good gateway call was
 *       refused (4xx) and at least 90 % of each were accepted; after the last fault window a good
 *       exchange, a good gateway call and (when the database was restarted) an admin write were
 *       accepted again.
 *   <li><b>Faults injected</b>: the issuer outage happened, and the database restart when asked.
 * </ul>
 */
final class SoakReport {
  private final SoakSettings settings;
  private final Tally tally;
  private final List<FaultWindows.Window> windows;
  private final List<String> faultLog;
  private final List<HeapSampler.Sample> samples;
  private final Traffic traffic;
  private final AdminLedger ledger;
  private final AuditReader.Summary audit;
  private final List<String> ledgerProblems;
  private final boolean issuerFault;
  private final boolean dbFault;
  private final long lastAdminAckMillis;
  private final long loadStart;
  private final Map<String, Boolean> invariants = new LinkedHashMap<>();
  private final StringBuilder out = new StringBuilder();

  @SuppressWarnings("TooManyParameters") // one call site, every argument a distinct part of the run
  SoakReport(
      SoakSettings settings,
      Tally tally,
      List<FaultWindows.Window> windows,
      List<String> faultLog,
      List<HeapSampler.Sample> samples,
      Traffic traffic,
      AdminLedger ledger,
      AuditReader.Summary audit,
      List<String> ledgerProblems,
      boolean issuerFault,
      boolean dbFault,
      long lastAdminAckMillis,
      long loadStart) {
    this.settings = settings;
    this.tally = tally;
    this.windows = windows;
    this.faultLog = faultLog;
    this.samples = samples;
    this.traffic = traffic;
    this.ledger = ledger;
    this.audit = audit;
    this.ledgerProblems = ledgerProblems;
    this.issuerFault = issuerFault;
    this.dbFault = dbFault;
    this.lastAdminAckMillis = lastAdminAckMillis;
    this.loadStart = loadStart;
  }

  /** Exchanges the audit log must account for, by outcome filter. */
  static long exchanges(Tally tally, Predicate<Outcome> outcome) {
    return tally.sum(k -> k.traffic().startsWith("exchange.") && outcome.test(k.outcome()));
  }

  /**
   * The fewest exchange events the audit log must hold: every exchange answered, less those
   * answered 5xx.
   */
  static long auditLowerBound(Tally tally) {
    return exchanges(tally, Outcome::answered)
        - exchanges(tally, o -> o == Outcome.UNAVAILABLE || o == Outcome.SERVER_ERROR);
  }

  /** Prints everything; returns the exit code (0 when every invariant held). */
  int print() {
    trafficTable();
    kindsTable("exchange.hostile", "Hostile token exchanges (each must be refused)");
    kindsTable("gateway.hostile", "Hostile bearer tokens on /v1 (each must be refused)");
    faults();
    admin();
    audit();
    memory();
    goodTraffic();
    line("");
    line("## Invariants");
    line("");
    boolean all = true;
    for (Map.Entry<String, Boolean> e : invariants.entrySet()) {
      line("- " + (e.getValue() ? "PASS" : "**FAIL**") + ": " + e.getKey());
      all &= e.getValue();
    }
    line("");
    line("soak verdict: " + (all ? "PASS" : "FAIL"));
    System.out.print(out);
    System.out.flush();
    return all ? 0 : 1;
  }

  private void trafficTable() {
    line("## Traffic (" + settings.durationSeconds() + " s; load average " + loadAverage() + ")");
    line("");
    line(
        "| traffic | requests | accepted | refused 4xx | 429 | 503 | other 5xx | no answer "
            + "| in fault windows | p50 ms | p99 ms | max ms |");
    line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (String t :
        List.of("exchange.good", "exchange.hostile", "gateway.good", "gateway.hostile", "admin")) {
      double[] p = tally.percentilesMillis(t);
      line(
          String.format(
              "| %s | %,d | %,d | %,d | %,d | %,d | %,d | %,d | %,d | %s | %s | %s |",
              t,
              count(t, o -> true),
              count(t, o -> o == Outcome.ACCEPTED),
              count(t, o -> o == Outcome.REFUSED),
              count(t, o -> o == Outcome.LIMITED),
              count(t, o -> o == Outcome.UNAVAILABLE),
              count(t, o -> o == Outcome.SERVER_ERROR),
              count(t, o -> o == Outcome.NO_ANSWER),
              tally.sum(k -> k.traffic().equals(t) && k.inWindow()),
              p.length == 0 ? "-" : String.format("%.1f", p[0]),
              p.length == 0 ? "-" : String.format("%.1f", p[1]),
              p.length == 0 ? "-" : String.format("%.1f", p[2])));
    }
  }

  private void kindsTable(String traffic, String title) {
    line("");
    line("### " + title);
    line("");
    line("| kind | requests | accepted | refused 4xx | 429 | 503 | other 5xx | no answer |");
    line("|---|---:|---:|---:|---:|---:|---:|---:|");
    Set<String> kinds = new java.util.TreeSet<>();
    tally.snapshot().keySet().stream()
        .filter(k -> k.traffic().equals(traffic))
        .forEach(k -> kinds.add(k.kind()));
    for (String kind : kinds) {
      Predicate<Tally.Key> of = k -> k.traffic().equals(traffic) && k.kind().equals(kind);
      line(
          String.format(
              "| %s | %,d | %s | %,d | %,d | %,d | %,d | %,d |",
              kind,
              tally.sum(of),
              bold(tally.sum(k -> of.test(k) && k.outcome() == Outcome.ACCEPTED)),
              tally.sum(k -> of.test(k) && k.outcome() == Outcome.REFUSED),
              tally.sum(k -> of.test(k) && k.outcome() == Outcome.LIMITED),
              tally.sum(k -> of.test(k) && k.outcome() == Outcome.UNAVAILABLE),
              tally.sum(k -> of.test(k) && k.outcome() == Outcome.SERVER_ERROR),
              tally.sum(k -> of.test(k) && k.outcome() == Outcome.NO_ANSWER)));
    }
    long wrong = count(traffic, o -> o == Outcome.ACCEPTED);
    invariants.put(
        "wrongly accepted "
            + (traffic.startsWith("exchange") ? "subject tokens" : "bearer tokens")
            + ": "
            + wrong,
        wrong == 0);
  }

  private void faults() {
    line("");
    line("### Faults");
    line("");
    for (String f : faultLog) {
      line("    " + f);
    }
    for (FaultWindows.Window w : windows) {
      line(
          String.format(
              "- window \"%s\": %.1f s to %s (+ %d s grace), from the start of the load",
              w.name(),
              (w.startMillis() - loadStart) / 1000.0,
              w.endMillis()
                  .map(e -> String.format("%.1f s", (e - loadStart) / 1000.0))
                  .orElse("(open)"),
              w.grace().toSeconds()));
    }
    invariants.put("issuer outage injected: " + (issuerFault ? "yes" : "no"), issuerFault);
    if (settings.dbStopCommand().isEmpty()) {
      line("- **database restart: not run** (no PostgreSQL: see the script's message)");
    } else {
      invariants.put("database restart injected: " + (dbFault ? "yes" : "no"), dbFault);
    }
  }

  private void admin() {
    line("");
    line("### Admin writes");
    line("");
    line(
        String.format(
            "acknowledged %,d, not acknowledged %,d (5xx, 503 or no answer; e.g. while the database was"
                + " down); %,d acknowledged objects read back; lost or wrong: %d",
            ledger.acknowledged(),
            ledger.unacknowledged(),
            ledger.createdObjects().size(),
            ledgerProblems.size()));
    for (String p : ledgerProblems.subList(0, Math.min(10, ledgerProblems.size()))) {
      line("- " + p);
    }
    invariants.put(
        "lost acknowledged admin writes: " + ledgerProblems.size(), ledgerProblems.isEmpty());
  }

  private void audit() {
    line("");
    line("### Audit log");
    line("");
    long answered = exchanges(tally, Outcome::answered);
    long noAnswer = exchanges(tally, o -> o == Outcome.NO_ANSWER);
    long accepted = exchanges(tally, o -> o == Outcome.ACCEPTED);
    long lower = auditLowerBound(tally);
    Set<String> missingJtis = new HashSet<>(traffic.acceptedJtis());
    missingJtis.removeAll(audit.succeededJtis());
    int adminMissing = 0;
    for (Map.Entry<String, Integer> need : ledger.ackedAuditRows().entrySet()) {
      adminMissing +=
          Math.max(0, need.getValue() - audit.adminRows().getOrDefault(need.getKey(), 0));
    }
    line(
        "Rule: an audit row with a numeric `count` (an aggregated refusal) counts `count` events, any"
            + " other row one event.");
    line("");
    line("| figure | value |");
    line("|---|---:|");
    line(String.format("| exchanges sent (setup check included) | %,d |", answered + noAnswer));
    line(String.format("| ... answered / no answer | %,d / %,d |", answered, noAnswer));
    line(String.format("| ... answered 5xx | %,d |", answered - lower));
    line(
        String.format(
            "| exchange audit rows / events | %,d / %,d |",
            audit.exchangeRows(), audit.exchangeEvents()));
    line(String.format("| ... aggregated rows (count ≠ 1) | %,d |", audit.aggregatedRows()));
    line(
        String.format(
            "| accepted exchanges / `token_exchange.succeeded` events | %,d / %,d |",
            accepted, audit.succeededEvents()));
    line(
        String.format(
            "| refused exchanges answered / `token_exchange.failed` events | %,d / %,d |",
            answered - accepted, audit.failedEvents()));
    line(
        String.format(
            "| accepted exchanges whose jti has no audit row | %,d |", missingJtis.size()));
    line(
        String.format(
            "| acknowledged admin writes / without their audit row | %,d / %,d |",
            ledger.acknowledged(), adminMissing));
    line(
        String.format(
            "| audit rows read (all types) | %,d%s |",
            audit.rows(), audit.complete() ? "" : " (INCOMPLETE: " + audit.problem() + ")"));
    boolean eventsOk =
        audit.exchangeEvents() >= lower && audit.exchangeEvents() <= answered + noAnswer;
    boolean successOk =
        audit.succeededEvents() >= accepted - missingJtis.size()
            && audit.succeededEvents() <= accepted + noAnswer;
    invariants.put(
        String.format(
            "audit rows accounted for: exchange events %,d within [%,d, %,d], succeeded %,d for %,d"
                + " accepted, %d accepted without a row, %d admin writes without a row, log read %s",
            audit.exchangeEvents(),
            lower,
            answered + noAnswer,
            audit.succeededEvents(),
            accepted,
            missingJtis.size(),
            adminMissing,
            audit.complete() ? "whole" : "partly"),
        eventsOk && successOk && missingJtis.isEmpty() && adminMissing == 0 && audit.complete());
  }

  private void memory() {
    line("");
    line("### Server memory (heap used after a full GC, `jcmd GC.run` + `GC.heap_info`)");
    line("");
    line("| s | sample | heap used after GC MB | heap committed MB | RSS MB |");
    line("|---:|---|---:|---:|---:|");
    for (HeapSampler.Sample s : samples) {
      line(
          String.format(
              "| %d | %s | %.1f | %.1f | %.1f |",
              s.second(), s.label(), s.usedMb(), s.committedMb(), s.rssMb()));
    }
    long warmUp = Math.min(60, settings.durationSeconds() / 5);
    List<HeapSampler.Sample> steady = new ArrayList<>();
    for (HeapSampler.Sample s : samples) {
      if (s.second() >= warmUp) {
        steady.add(s);
      }
    }
    if (steady.size() < 2) {
      invariants.put("memory flat: no verdict (fewer than two samples after the warm-up)", false);
      return;
    }
    double first = steady.get(0).usedMb();
    double last = steady.get(steady.size() - 1).usedMb();
    double max = steady.stream().mapToDouble(HeapSampler.Sample::usedMb).max().orElse(first);
    boolean flat = last - first <= 16 && max - first <= 32;
    invariants.put(
        String.format(
            "memory flat: heap after GC %.1f MB at %d s, %.1f MB at the end (%+.1f MB), max %.1f MB"
                + " (rule: end - first <= 16 MB and max - first <= 32 MB)",
            first, steady.get(0).second(), last, last - first, max),
        flat);
  }

  private void goodTraffic() {
    long windowEnd =
        windows.stream()
            .mapToLong(w -> w.endMillis().orElse(Long.MAX_VALUE / 2) + w.grace().toMillis())
            .max()
            .orElse(0);
    for (String t : List.of("exchange.good", "gateway.good")) {
      long outside = tally.sum(k -> k.traffic().equals(t) && !k.inWindow());
      long okOutside =
          tally.sum(k -> k.traffic().equals(t) && !k.inWindow() && k.outcome() == Outcome.ACCEPTED);
      long refusedOutside =
          tally.sum(k -> k.traffic().equals(t) && !k.inWindow() && k.outcome() == Outcome.REFUSED);
      double ratio = outside == 0 ? 0 : (double) okOutside / outside;
      invariants.put(
          String.format(
              "%s outside fault windows: %,d of %,d accepted (%.1f %%), %d refused 4xx",
              t, okOutside, outside, 100 * ratio, refusedOutside),
          refusedOutside == 0 && ratio >= 0.90);
    }
    boolean exchangeBack = traffic.lastGoodExchangeMillis() > windowEnd;
    boolean gatewayBack = traffic.lastGoodGatewayMillis() > windowEnd;
    boolean adminBack = !dbFault || lastAdminAckMillis > windowEnd;
    invariants.put(
        "recovered after the last fault window: exchange "
            + yes(exchangeBack)
            + ", gateway "
            + yes(gatewayBack)
            + ", admin write "
            + yes(adminBack),
        exchangeBack && gatewayBack && adminBack);
  }

  private long count(String traffic, Predicate<Outcome> outcome) {
    return tally.sum(k -> k.traffic().equals(traffic) && outcome.test(k.outcome()));
  }

  private static String bold(long n) {
    return n == 0 ? "0" : String.format("**%,d**", n);
  }

  private static String yes(boolean b) {
    return b ? "yes" : "NO";
  }

  private static String loadAverage() {
    try {
      String text = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.UTF_8);
      int space = text.indexOf(' ');
      return space < 0 ? text.strip() : text.substring(0, space);
    } catch (IOException e) {
      return "?";
    }
  }

  private void line(String text) {
    out.append(text).append('\n');
  }
}
