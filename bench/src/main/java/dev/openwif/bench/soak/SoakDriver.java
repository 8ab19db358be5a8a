package dev.openwif.bench.soak;

import dev.openwif.testkit.TestIssuer;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The soak driver (run by {@code bench/run-soak.sh}): configures a running server, serves the OIDC
 * issuer itself ({@link TestIssuer}, real HTTP on 127.0.0.1), runs the traffic of {@link Traffic}
 * and {@link AdminWriter} for the duration while it takes the issuer down and restarts the database
 * (through the shell commands it is given) and samples the server's heap; then it checks the
 * invariants, prints the figures and exits 0 only when every invariant held (1 otherwise, 2 on bad
 * arguments).
 */
public final class SoakDriver {
  /** After a fault ends, its window stays open this long (recovery: pools reconnect, syncs run). */
  static final Duration ISSUER_GRACE = Duration.ofSeconds(15);

  static final Duration DB_GRACE = Duration.ofSeconds(20);

  private final SoakSettings settings;
  private final SoakHttp http;
  private final Tally tally = new Tally();
  private final FaultWindows windows = new FaultWindows();
  private final AdminLedger ledger = new AdminLedger();
  private final List<String> faultLog = new ArrayList<>();
  private final long startNanos = System.nanoTime();
  private volatile boolean issuerFaultDone;
  private volatile boolean dbFaultDone;
  private volatile long loadStartMillis;

  private SoakDriver(SoakSettings settings) {
    this.settings = settings;
    this.http = new SoakHttp(settings.server());
  }

  /** Entry point; see the class comment for the exit codes. */
  public static void main(String[] args) throws InterruptedException {
    SoakSettings settings;
    try {
      settings = SoakSettings.parse(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("soak: error: " + e.getMessage());
      System.exit(2);
      return;
    }
    System.exit(new SoakDriver(settings).run());
  }

  private long millis() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  private int run() throws InterruptedException {
    long since = Instant.now().getEpochSecond() - 1;
    try (TestIssuer issuer = TestIssuer.start()) {
      SoakSetup.Ids ids = new SoakSetup(http, settings.adminKey()).configure(issuer);
      SubjectTokens tokens = new SubjectTokens(issuer);
      waitForFirstExchange(ids, tokens);
      SoakHttp.Answer jwks =
          http.send("GET", "/.well-known/jwks.json", Optional.empty(), Traffic.TIMEOUT);
      if (jwks.outcome() != Outcome.ACCEPTED) {
        throw new IllegalStateException("the server's JWKS answered " + jwks.status());
      }
      HeapSampler heap = new HeapSampler(settings.jcmd(), settings.serverPid());
      long loadStart = millis();
      loadStartMillis = loadStart;
      Traffic traffic =
          new Traffic(
              http,
              ids,
              tokens,
              new BearerForgery(jwks.body()),
              settings.adminKey(),
              tally,
              windows,
              startNanos);
      AdminWriter admin = new AdminWriter(http, settings.adminKey(), ledger);
      List<Thread> threads = new ArrayList<>();
      threads.add(start("good-exchanges", () -> traffic.loop(ms(100), traffic::goodExchange)));
      threads.add(
          start("hostile-exchanges", () -> traffic.loop(ms(100), traffic::hostileExchange)));
      threads.add(start("good-gateway", () -> traffic.loop(ms(50), traffic::goodGateway)));
      threads.add(start("hostile-gateway", () -> traffic.loop(ms(100), traffic::hostileGateway)));
      threads.add(
          start(
              "admin-writes",
              () ->
                  traffic.loop(
                      ms(250),
                      n -> {
                        long began = millis();
                        Map.Entry<String, Outcome> done = admin.step(n);
                        boolean in = windows.covers(began) || windows.covers(millis());
                        tally.count(
                            "admin", done.getKey(), done.getValue(), in, (millis() - began) * 1000);
                        admin.ackedAt(millis(), done.getValue());
                      })));
      Thread faults = start("faults", () -> faults(issuer, loadStart, traffic));
      Thread sampler = start("heap", () -> sample(heap, loadStart, traffic));
      sleepUntil(loadStart + settings.durationSeconds() * 1000, traffic);
      traffic.stop();
      System.err.println("soak: load stopped at " + (millis() - loadStart) / 1000 + " s; settling");
      for (Thread t : threads) {
        t.join(Duration.ofSeconds(60));
      }
      // never interrupted: a database it stopped must be started again
      faults.join(Duration.ofMinutes(3));
      sampler.join(Duration.ofSeconds(90));
      heap.sample((millis() - loadStart) / 1000, "end");
      System.err.println("soak: reading the audit log and the admin objects back");
      AuditReader reader = new AuditReader(http, settings.adminKey());
      AuditReader.Summary audit = reader.read(since);
      if (audit.exchangeEvents() < SoakReport.auditLowerBound(tally)) {
        // Aggregated refusals may be written when their minute closes: read once more after it.
        System.err.println("soak: fewer exchange events than expected; reading again in 65 s");
        Thread.sleep(Duration.ofSeconds(65));
        audit = reader.read(since);
      }
      SoakReport report =
          new SoakReport(
              settings,
              tally,
              windows.all(),
              faultLog,
              heap.samples(),
              traffic,
              ledger,
              audit,
              verifyLedger(),
              issuerFaultDone,
              dbFaultDone,
              admin.lastAckMillis(),
              loadStart);
      return report.print();
    } catch (IllegalStateException e) {
      System.err.println("soak: error: " + e.getMessage());
      return 1;
    }
  }

  private void waitForFirstExchange(SoakSetup.Ids ids, SubjectTokens tokens)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    SoakHttp.Answer last = new SoakHttp.Answer(0, "");
    while (System.nanoTime() < deadline) {
      String body =
          com.nimbusds.jose.util.JSONObjectUtils.toJSONString(
              Map.of(
                  "grant_type", Traffic.GRANT,
                  "subject_token", tokens.good(SubjectTokens.GOOD_SUBJECT, 300),
                  "subject_token_type", Traffic.JWT_TYPE,
                  "identity_provider_id", ids.providerId(),
                  "service_account_id", ids.goodAccount()));
      last =
          http.send(
              "POST",
              "/oauth/token",
              Optional.of(body),
              Traffic.TIMEOUT,
              "X-Forwarded-For",
              Traffic.GOOD_ADDRESS);
      tally.count("exchange.setup", "first", last.outcome(), false, 0);
      if (last.outcome() == Outcome.ACCEPTED) {
        return;
      }
      Thread.sleep(1000);
    }
    throw new IllegalStateException(
        "no good exchange succeeded within 60 s of the setup; last answer "
            + last.status()
            + ": "
            + SoakSetup.abbreviate(last.body()));
  }

  /** The issuer outage at 25 % of the run, the database restart at 55 %. */
  private void faults(TestIssuer issuer, long loadStart, Traffic traffic) {
    long d = settings.durationSeconds() * 1000;
    try {
      sleepUntil(loadStart + d * 25 / 100, traffic);
      if (traffic.stopped()) {
        return;
      }
      int w = windows.begin("issuer down", millis(), ISSUER_GRACE);
      note(fetches(issuer) + " so far");
      issuer.goDown();
      note("issuer down (connections refused) for " + settings.issuerDownSeconds() + " s");
      Thread.sleep(Duration.ofSeconds(settings.issuerDownSeconds()));
      issuer.comeBack();
      windows.end(w, millis());
      note("issuer back on the same port");
      sleepUntil(millis() + ISSUER_GRACE.toMillis(), traffic);
      note(fetches(issuer) + " by the end of the issuer's grace period");
      issuerFaultDone = true;
      if (settings.dbStopCommand().isEmpty()) {
        note("database restart: skipped (no database commands given)");
        return;
      }
      sleepUntil(loadStart + d * 55 / 100, traffic);
      if (traffic.stopped()) {
        return;
      }
      int db = windows.begin("database down", millis(), DB_GRACE);
      boolean stopped = shell(settings.dbStopCommand());
      note(
          "database stop "
              + (stopped ? "done" : "FAILED")
              + "; down for "
              + settings.dbDownSeconds()
              + " s");
      Thread.sleep(Duration.ofSeconds(settings.dbDownSeconds()));
      boolean started = false;
      for (int attempt = 0; attempt < 3 && !started; attempt++) {
        started = shell(settings.dbStartCommand());
      }
      windows.end(db, millis());
      note("database start " + (started ? "done" : "FAILED"));
      dbFaultDone = stopped && started;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      issuer.comeBack();
    }
  }

  private static String fetches(TestIssuer issuer) {
    return "the issuer served "
        + issuer.discoveryFetchCount()
        + " discovery and "
        + issuer.jwksFetchCount()
        + " JWKS requests";
  }

  private void note(String what) {
    String line = String.format("%5.1f s  %s", (millis() - loadStartMillis) / 1000.0, what);
    System.err.println("soak: " + line);
    synchronized (faultLog) {
      faultLog.add(line);
    }
  }

  /** Runs a shell command, bounded to 90 s; true when it exited 0. */
  private static boolean shell(String command) throws InterruptedException {
    try {
      Process p =
          new ProcessBuilder("/bin/sh", "-c", command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(90, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      System.err.println("soak: cannot run a database command: " + e.getMessage());
      return false;
    }
  }

  private void sample(HeapSampler heap, long loadStart, Traffic traffic) {
    try {
      long next = loadStart + 5_000;
      while (true) {
        sleepUntil(next, traffic);
        if (traffic.stopped()) {
          return;
        }
        long second = (millis() - loadStart) / 1000;
        Optional<HeapSampler.Sample> s = heap.sample(second, "during");
        System.err.printf(
            "soak: %4d s  heap after GC %s MB; exchanges accepted %d, hostile accepted %d%n",
            second,
            s.map(x -> String.format("%.1f", x.usedMb())).orElse("?"),
            tally.sum(k -> k.traffic().equals("exchange.good") && k.outcome() == Outcome.ACCEPTED),
            tally.sum(k -> k.traffic().endsWith(".hostile") && k.outcome() == Outcome.ACCEPTED));
        next += settings.sampleEverySeconds() * 1000;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Reads every acknowledged object back; returns the problems (empty: nothing lost). */
  private List<String> verifyLedger() throws InterruptedException {
    List<String> problems = new ArrayList<>();
    for (AdminLedger.Created c : ledger.createdObjects()) {
      SoakHttp.Answer a = new SoakHttp.Answer(0, "");
      for (int attempt = 0; attempt < 3; attempt++) {
        a =
            http.send(
                "GET",
                c.path(),
                Optional.empty(),
                Duration.ofSeconds(30),
                "Authorization",
                "Bearer " + settings.adminKey());
        if (a.outcome() == Outcome.ACCEPTED || a.status() == 404) {
          break;
        }
        Thread.sleep(1000);
      }
      if (a.outcome() != Outcome.ACCEPTED) {
        problems.add(c.auditType() + " " + c.id() + ": read back answered " + a.status());
        continue;
      }
      Object name = a.json().map(m -> m.get("name")).orElse(null);
      if (name == null || !ledger.allows(c.id(), name.toString())) {
        problems.add(
            c.auditType()
                + " "
                + c.id()
                + ": name "
                + name
                + ", expected "
                + ledger.expected(c.id()));
      }
    }
    return problems;
  }

  private void sleepUntil(long targetMillis, Traffic traffic) throws InterruptedException {
    while (!traffic.stopped()) {
      long left = targetMillis - millis();
      if (left <= 0) {
        return;
      }
      Thread.sleep(Math.min(left, 500));
    }
  }

  private static Thread start(String name, Runnable body) {
    return Thread.ofPlatform().name("soak-" + name).start(body);
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }
}
