package dev.openwif.cli.apply;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Compares what a file wants with what the server has and makes the {@link Plan}: an object the
 * file names is matched with the server's object of the same kind and name (a service account
 * within its project, a rule within its provider); it is created when missing, updated field by
 * field when it differs. With {@code prune}, a managed provider or rule the file does not name is
 * deleted; nothing else is ever deleted. A rule's project and service account must be named by the
 * file or exist on the server. Pure and stateless.
 */
public final class PlanMaker {
  private PlanMaker() {}

  /**
   * The plan that makes the server match {@code desired}.
   *
   * @throws ConfigFileException naming the file, line and field: a reference to a project or
   *     service account that neither side has, a name the server holds twice; or, with {@code
   *     prune}, a provider to delete that unmanaged rules still use
   */
  public static Plan plan(DesiredState desired, LiveState live, boolean prune) {
    List<Change> changes = new ArrayList<>();
    Set<Address> named = new HashSet<>();
    for (Kind kind : Kind.values()) {
      for (Resource want : desired.resources()) {
        if (want.kind() != kind) {
          continue;
        }
        named.add(want.address());
        checkReferences(desired, live, want);
        List<LiveResource> have = live.at(want.address());
        if (have.size() > 1) {
          throw desired.error(
              want,
              "name",
              "the server has "
                  + have.size()
                  + " "
                  + kind.label()
                  + "s named '"
                  + want.address().name()
                  + "'; rename or remove all but one first");
        }
        if (have.isEmpty()) {
          changes.add(new Change.Create(want));
        } else {
          List<FieldChange> fields = differences(have.getFirst().resource(), want);
          if (!fields.isEmpty()) {
            changes.add(new Change.Update(have.getFirst(), want, fields));
          }
        }
      }
    }
    if (prune) {
      changes.addAll(deletions(live, named));
    }
    return new Plan(changes);
  }

  /** The fields of {@code want} that differ from {@code have}, in the kind's field order. */
  public static List<FieldChange> differences(Resource have, Resource want) {
    List<FieldChange> out = new ArrayList<>();
    for (String field : want.kind().fields()) {
      Optional<JsonNode> before = have.value(field);
      Optional<JsonNode> after = want.value(field);
      if (!before.equals(after)) {
        out.add(new FieldChange(field, before, after));
      }
    }
    return out;
  }

  private static List<Change> deletions(LiveState live, Set<Address> named) {
    List<LiveResource> doomed =
        live.resources().stream()
            .filter(r -> r.resource().managed() && !named.contains(r.address()))
            .sorted(Comparator.comparing((LiveResource r) -> r.resource().kind()).reversed())
            .toList();
    Set<Address> deleted = new LinkedHashSet<>();
    doomed.forEach(r -> deleted.add(r.address()));
    for (LiveResource provider : doomed) {
      if (provider.resource().kind() != Kind.PROVIDER) {
        continue;
      }
      for (LiveResource rule : live.resources()) {
        if (rule.resource().kind() == Kind.RULE
            && rule.parentId().equals(Optional.of(provider.id()))
            && !deleted.contains(rule.address())) {
          throw new ConfigFileException(
              "--prune would delete "
                  + provider.address()
                  + ", but "
                  + rule.address()
                  + " (not deleted: "
                  + (rule.resource().managed() ? "named by the file" : "not managed")
                  + ") still uses it; name the provider in the file or delete the rule first");
        }
      }
    }
    return doomed.stream().map(r -> (Change) new Change.Delete(r)).toList();
  }

  private static void checkReferences(DesiredState desired, LiveState live, Resource want) {
    if (want.kind() != Kind.RULE) {
      return;
    }
    String project = want.fields().path("project").asText();
    String account = want.fields().path("service_account").asText();
    if (!known(desired, live, Address.project(project))) {
      throw desired.error(
          want, "project", "no project named '" + project + "' in this file or on the server");
    }
    if (!known(desired, live, Address.account(project, account))) {
      throw desired.error(
          want,
          "service_account",
          "no service account named '"
              + account
              + "' in project '"
              + project
              + "', in this file or on the server");
    }
  }

  private static boolean known(DesiredState desired, LiveState live, Address address) {
    return desired.resources().stream().anyMatch(r -> r.address().equals(address))
        || !live.at(address).isEmpty();
  }
}
