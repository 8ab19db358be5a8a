package dev.openwif.cli.apply;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Optional;

/**
 * Applies a {@link Plan} through the admin API, one change at a time in the plan's order, printing
 * a line per change with the object's id. The first refusal stops it: the changes before it stay
 * made (the admin API has no transaction across calls), and a second {@code wif apply} resumes from
 * there. A refusal of a field the file sets is reported as the file's error, with its line.
 *
 * <p>An update or a delete reads its object again first and is refused when the object is no longer
 * what the plan was made from (another admin changed it while the plan waited for its
 * confirmation); otherwise it carries the object's entity tag in {@code If-Match}, so a change made
 * between that read and the write is refused by the server rather than overwritten. Not
 * thread-safe.
 */
public final class PlanRunner {
  private final AdminCalls admin;
  private final PrintWriter out;

  public PlanRunner(AdminCalls admin, PrintWriter out) {
    this.admin = admin;
    this.out = out;
  }

  /** Applies every change of {@code plan}, which was made from {@code desired} and {@code live}. */
  public void apply(Plan plan, DesiredState desired, LiveState live) {
    IdBook ids = new IdBook(live);
    for (Change change : plan.changes()) {
      try {
        run(change, ids);
      } catch (RuntimeException e) {
        throw refusal(change, desired, e);
      }
      out.flush();
    }
  }

  private void run(Change change, IdBook ids) {
    switch (change) {
      case Change.Create c -> {
        Resource r = c.desired();
        JsonNode created =
            admin.post(
                createPath(r.address(), ids), ApiShapes.createBody(r, ids), Optional.empty());
        String id = created.path("id").asText();
        if (id.isEmpty()) {
          throw new IllegalStateException("the server answered without an id: " + created);
        }
        ids.put(r.address(), id);
        out.println("created " + r.address() + " (id " + id + ")");
      }
      case Change.Update u -> {
        String path = objectPath(u.live());
        admin.post(
            path, ApiShapes.updateBody(u.desired(), u.fields(), ids), unchanged(u.live(), path));
        out.println(
            "updated "
                + u.address()
                + " (id "
                + u.live().id()
                + "): "
                + String.join(", ", u.fields().stream().map(FieldChange::field).toList()));
      }
      case Change.Delete d -> {
        String path = objectPath(d.live());
        admin.delete(path, unchanged(d.live(), path));
        out.println("deleted " + d.address() + " (id " + d.live().id() + ")");
      }
    }
  }

  /**
   * The entity tag of the object at {@code path} as the server has it now, after checking that it
   * is still what the plan was made from.
   *
   * @throws ChangedSincePlan when it is not
   */
  private Optional<String> unchanged(LiveResource planned, String path) {
    AdminCalls.Read now;
    try {
      now = admin.read(path);
    } catch (RuntimeException e) {
      if (admin.notFound(e)) {
        throw new ChangedSincePlan("was deleted");
      }
      throw e;
    }
    if (!now.body().equals(planned.seen())) {
      throw new ChangedSincePlan("changed");
    }
    return now.etag();
  }

  /** The object a change is for is no longer what the plan was made from. */
  private static final class ChangedSincePlan extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What happened to it: {@code changed}, {@code was deleted}. */
    ChangedSincePlan(String what) {
      super(what, null, false, false);
    }
  }

  private RuntimeException refusal(Change change, DesiredState desired, RuntimeException e) {
    String what =
        switch (change) {
          case Change.Create c -> "creating ";
          case Change.Update u -> "updating ";
          case Change.Delete d -> "deleting ";
        };
    if (e instanceof ChangedSincePlan || admin.changedMeanwhile(e)) {
      String happened = e instanceof ChangedSincePlan c ? c.getMessage() : "changed";
      return new ChangeRefusedException(
          what
              + change.address()
              + " was refused: it "
              + happened
              + " on the server since the plan was made (another admin or process wrote it), so"
              + " nothing was done to it and nothing after it was applied; run 'wif apply' again"
              + " to see a plan against the server as it is now");
    }
    String message = what + change.address() + " was refused: " + e.getMessage();
    Optional<Resource> inFile =
        switch (change) {
          case Change.Create c -> Optional.of(c.desired());
          case Change.Update u -> Optional.of(u.desired());
          case Change.Delete d -> Optional.empty();
        };
    if (inFile.isPresent() && inFile.get().pointer().isPresent()) {
      String field = admin.refusedField(e).map(PlanRunner::fileField).orElse("name");
      return new ChangeRefusedException(desired.line(inFile.get(), field, message));
    }
    return new ChangeRefusedException(message);
  }

  /** An admin API param ({@code attribute_transformations[0].expression}) as a file pointer. */
  static String fileField(String param) {
    String pointer = param.replaceAll("\\[(\\d+)]", ".$1").replace('.', '/');
    return switch (pointer) {
      case "project_id" -> "project";
      case "service_account_id" -> "service_account";
      default -> pointer;
    };
  }

  private static String createPath(Address a, IdBook ids) {
    return switch (a.kind()) {
      case PROJECT -> "/projects";
      case SERVICE_ACCOUNT ->
          "/projects/"
              + LiveStateReader.segment(ids.id(Address.project(a.parent())))
              + "/service_accounts";
      case PROVIDER -> "/workload_identity_providers";
      case RULE ->
          "/workload_identity_providers/"
              + LiveStateReader.segment(ids.id(Address.provider(a.parent())))
              + "/federation_rules";
    };
  }

  private static String objectPath(LiveResource r) {
    String id = LiveStateReader.segment(r.id());
    String parent = r.parentId().map(LiveStateReader::segment).orElse("");
    return switch (r.address().kind()) {
      case PROJECT -> "/projects/" + id;
      case SERVICE_ACCOUNT -> "/projects/" + parent + "/service_accounts/" + id;
      case PROVIDER -> "/workload_identity_providers/" + id;
      case RULE -> "/workload_identity_providers/" + parent + "/federation_rules/" + id;
    };
  }
}
