package dev.openwif.cli.apply;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Optional;

/**
 * Prints a {@link Plan} for a reader: {@code + create}, {@code ~ update} (with each changed field
 * as {@code before -> after}) and {@code - delete} lines, then a summary. Values are printed as
 * JSON; a field without a value as {@code (none)}. Stateless.
 */
public final class PlanText {
  private PlanText() {}

  public static void print(Plan plan, String source, PrintWriter out) {
    if (plan.isEmpty()) {
      out.println("No changes: the server already matches " + source + ".");
      out.flush();
      return;
    }
    for (Change change : plan.changes()) {
      switch (change) {
        case Change.Create c -> {
          out.println("+ create " + c.address());
          for (String field : c.desired().kind().fields()) {
            if (c.desired().fields().has(field)) {
              out.println("      " + field + ": " + show(c.desired().value(field)));
            }
          }
        }
        case Change.Update u -> {
          out.println("~ update " + u.address() + " (id " + u.live().id() + ")");
          for (FieldChange f : u.fields()) {
            out.println("      " + f.field() + ": " + show(f.before()) + " -> " + show(f.after()));
          }
        }
        case Change.Delete d ->
            out.println("- delete " + d.address() + " (id " + d.live().id() + ")");
      }
    }
    out.println();
    out.println(summary(plan));
    out.flush();
  }

  /** {@code Plan: 3 to create, 1 to change, 0 to delete.} */
  public static String summary(Plan plan) {
    return "Plan: "
        + plan.count(Change.Create.class)
        + " to create, "
        + plan.count(Change.Update.class)
        + " to change, "
        + plan.count(Change.Delete.class)
        + " to delete.";
  }

  static String show(Optional<JsonNode> value) {
    return value.map(JsonNode::toString).orElse("(none)");
  }
}
