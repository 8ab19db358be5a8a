package dev.openwif.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ScopeCatalogueTest {

  @Test
  void catalogueWhenReadThenKeepsTheSixNamesStoredRulesAndDocsAlreadyUse() {
    assertThat(ScopeCatalogue.SCOPES)
        .containsKeys(
            "api.model.read",
            "api.model.request",
            "api.vector_store.read",
            "api.vector_store.write",
            "api.files.read",
            "api.files.write");
  }

  @Test
  void catalogueWhenReadThenEveryNameIsApiResourceAccessWithADescription() {
    assertThat(ScopeCatalogue.SCOPES)
        .allSatisfy(
            (name, description) -> {
              assertThat(name).matches("api\\.[a-z_]+\\.(read|write|request)");
              assertThat(description).isNotBlank().endsWith(".");
            });
  }

  @Test
  void catalogueWhenReadThenEachResourceHasReadAndWriteExceptModelRequest() {
    for (String name : ScopeCatalogue.SCOPES.keySet()) {
      String resource = name.substring(0, name.lastIndexOf('.'));
      if (resource.equals("api.model")) {
        continue;
      }
      assertThat(ScopeCatalogue.SCOPES).containsKeys(resource + ".read", resource + ".write");
    }
    assertThat(ScopeCatalogue.SCOPES).containsKeys("api.model.read", "api.model.request");
  }

  @Test
  void allWhenReadThenIsEveryScopeAndWhatServiceAccountDefaultGrants() {
    assertThat(ScopeCatalogue.ALL).isEqualTo(ScopeCatalogue.SCOPES.keySet());
    assertThat(new Permissions.ServiceAccountDefault().grantedScopes())
        .isEqualTo(ScopeCatalogue.ALL);
    assertThat(ScopeCatalogue.contains("api.threads.write")).isTrue();
    assertThat(ScopeCatalogue.contains("api.everything")).isFalse();
    assertThat(new Permissions.Restricted(Set.of("api.files.read")).grantedScopes())
        .containsExactly("api.files.read");
  }
}
