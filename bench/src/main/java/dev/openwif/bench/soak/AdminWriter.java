package dev.openwif.bench.soak;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Admin writes through the API, one at a time, each recorded in an {@link AdminLedger}: first 20
 * projects, then renames of projects and service accounts and, up to 60, new service accounts. The
 * data stays small, so the heap is not expected to grow with it. A write waits up to 40 s for its
 * answer (longer than the server's 30 s wait for a database connection), so that most writes made
 * while the database is down end with a definite answer. Single-threaded.
 */
final class AdminWriter {
  static final int PROJECTS = 20;
  static final int ACCOUNTS = 60;
  static final Duration TIMEOUT = Duration.ofSeconds(40);

  private record Account(String projectId, String id) {}

  private final SoakHttp http;
  private final String adminKey;
  private final AdminLedger ledger;
  private final Random random = new Random(11);
  private final List<String> projects = new ArrayList<>();
  private final List<Account> accounts = new ArrayList<>();
  private long lastAckMillis = -1;

  AdminWriter(SoakHttp http, String adminKey, AdminLedger ledger) {
    this.http = http;
    this.adminKey = adminKey;
    this.ledger = ledger;
  }

  /** One write; returns its kind and outcome. */
  Map.Entry<String, Outcome> step(long n) throws InterruptedException {
    String base = "/v1/organization/projects";
    if (projects.size() < PROJECTS) {
      String name = "soak-p-" + n;
      SoakHttp.Answer a = post(base, Map.of("name", name));
      Optional<String> id = id(a);
      if (id.isPresent()) {
        projects.add(id.get());
        ledger.created("project.created", id.get(), base + "/" + id.get(), name);
      } else {
        ledger.createNotAcked();
      }
      return Map.entry("project.create", a.outcome());
    }
    int dice = random.nextInt(4);
    if (dice == 0 && accounts.size() < ACCOUNTS) {
      String project = projects.get(random.nextInt(projects.size()));
      String name = "soak-sa-" + n;
      String path = base + "/" + project + "/service_accounts";
      SoakHttp.Answer a = post(path, Map.of("name", name, "create_service_account_only", true));
      Optional<String> id = id(a);
      if (id.isPresent()) {
        accounts.add(new Account(project, id.get()));
        ledger.created("service_account.created", id.get(), path + "/" + id.get(), name);
      } else {
        ledger.createNotAcked();
      }
      return Map.entry("service_account.create", a.outcome());
    }
    if (dice <= 1 && !accounts.isEmpty()) {
      Account account = accounts.get(random.nextInt(accounts.size()));
      String name = "soak-sa-" + n + "-renamed";
      SoakHttp.Answer a =
          post(
              base + "/" + account.projectId() + "/service_accounts/" + account.id(),
              Map.of("name", name));
      update("service_account.updated", account.id(), name, a);
      return Map.entry("service_account.rename", a.outcome());
    }
    String project = projects.get(random.nextInt(projects.size()));
    String name = "soak-p-" + n + "-renamed";
    SoakHttp.Answer a = post(base + "/" + project, Map.of("name", name));
    update("project.updated", project, name, a);
    return Map.entry("project.rename", a.outcome());
  }

  long lastAckMillis() {
    return lastAckMillis;
  }

  void ackedAt(long millis, Outcome outcome) {
    if (outcome == Outcome.ACCEPTED) {
      lastAckMillis = millis;
    }
  }

  private void update(String auditType, String id, String name, SoakHttp.Answer a) {
    if (a.outcome() == Outcome.ACCEPTED) {
      ledger.acked(auditType, id, name);
    } else {
      ledger.notAcked(id, name);
    }
  }

  private static Optional<String> id(SoakHttp.Answer a) {
    if (a.outcome() != Outcome.ACCEPTED) {
      return Optional.empty();
    }
    return a.json().map(m -> m.get("id")).map(Object::toString);
  }

  private SoakHttp.Answer post(String path, Map<String, ?> body) throws InterruptedException {
    return http.send(
        "POST",
        path,
        Optional.of(JSONObjectUtils.toJSONString(body)),
        TIMEOUT,
        "Authorization",
        "Bearer " + adminKey);
  }
}
