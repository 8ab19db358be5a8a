package dev.openwif.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.federation.ScopeCatalogue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/scopes.md} holds the scope catalogue and the route table exactly as the code has
 * them, between marker comments. After changing {@link ScopeCatalogue} or {@link RouteScopes}, run
 * this test with {@code -Dscopes.doc.write=true} to rewrite the two blocks, then review the diff.
 */
class ScopeDocsTest {
  private static final String CATALOGUE = "scope-catalogue";
  private static final String ROUTES = "route-scopes";

  @Test
  void docsWhenReadThenCatalogueAndRouteTableAreExactlyTheCodes() throws IOException {
    Path doc = repositoryRoot().resolve("docs/scopes.md");
    String text = Files.readString(doc, StandardCharsets.UTF_8);
    if (Boolean.getBoolean("scopes.doc.write")) {
      text = replaced(replaced(text, CATALOGUE, catalogue()), ROUTES, routes());
      Files.writeString(doc, text, StandardCharsets.UTF_8);
    }

    assertThat(block(text, CATALOGUE)).as("docs/scopes.md " + CATALOGUE).isEqualTo(catalogue());
    assertThat(block(text, ROUTES)).as("docs/scopes.md " + ROUTES).isEqualTo(routes());
    for (String scope : ScopeCatalogue.SCOPES.keySet()) {
      assertThat(block(text, ROUTES)).contains("`" + scope + "`");
    }
  }

  @Test
  void readmeAndOperationsWhenReadThenLinkTheScopePage() throws IOException {
    Path root = repositoryRoot();

    assertThat(Files.readString(root.resolve("README.md"))).contains("docs/scopes.md");
    assertThat(Files.readString(root.resolve("docs/operations.md"))).contains("scopes.md");
  }

  /** The catalogue: one row per scope, in the catalogue's order. */
  static String catalogue() {
    StringBuilder out = new StringBuilder("| scope | allows |\n|---|---|\n");
    for (Map.Entry<String, String> e : ScopeCatalogue.SCOPES.entrySet()) {
      out.append("| `")
          .append(e.getKey())
          .append("` | ")
          .append(e.getValue().replace("|", "\\|"))
          .append(" |\n");
    }
    return out.toString();
  }

  /** The route table grouped by scope in the catalogue's order, routes in the table's order. */
  static String routes() {
    StringBuilder out = new StringBuilder("| scope | method | path |\n|---|---|---|\n");
    for (String scope : ScopeCatalogue.SCOPES.keySet()) {
      for (RouteScopeTable.Route route : RouteScopes.TABLE.routes()) {
        if (route.scope().equals(scope)) {
          out.append("| `")
              .append(scope)
              .append("` | `")
              .append(route.method())
              .append("` | `")
              .append(route.pattern())
              .append("` |\n");
        }
      }
    }
    return out.toString();
  }

  private static String block(String text, String name) {
    String start = "<!-- " + name + ":start -->\n";
    String end = "<!-- " + name + ":end -->";
    int from = text.indexOf(start);
    int to = text.indexOf(end);
    assertThat(from).as("docs/scopes.md has " + start.strip()).isNotNegative();
    assertThat(to).as("docs/scopes.md has " + end).isGreaterThan(from);
    return text.substring(from + start.length(), to);
  }

  private static String replaced(String text, String name, String content) {
    String start = "<!-- " + name + ":start -->\n";
    String end = "<!-- " + name + ":end -->";
    int from = text.indexOf(start);
    int to = text.indexOf(end);
    if (from < 0 || to < from) {
      throw new IllegalStateException("docs/scopes.md lacks the markers of " + name);
    }
    return text.substring(0, from + start.length()) + content + text.substring(to);
  }

  private static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("docs/scopes.md"))) {
        return dir;
      }
    }
    throw new AssertionError("no parent directory of the working directory has docs/scopes.md");
  }
}
