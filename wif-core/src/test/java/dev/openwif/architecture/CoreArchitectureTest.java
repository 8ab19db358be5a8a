package dev.openwif.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The layering of the core (wif-core): pure domain, acyclic, the exchange a leaf of the graph. */
class CoreArchitectureTest {
  private static final String[] CORE = {
    "dev.openwif.attribute..",
    "dev.openwif.audit..",
    "dev.openwif.directory..",
    "dev.openwif.exchange..",
    "dev.openwif.federation..",
    "dev.openwif.oidc..",
    "dev.openwif.policy..",
    "dev.openwif.token..",
    "dev.openwif.usage.."
  };

  private static JavaClasses core;

  @BeforeAll
  static void importCore() {
    core =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(
                "dev.openwif.attribute",
                "dev.openwif.audit",
                "dev.openwif.directory",
                "dev.openwif.exchange",
                "dev.openwif.federation",
                "dev.openwif.oidc",
                "dev.openwif.policy",
                "dev.openwif.token",
                "dev.openwif.usage");
  }

  @Test
  void coreWhenInspectedThenUsesNoHttpSqlJsonLibraryOrServer() {
    noClasses()
        .that()
        .resideInAnyPackage(CORE)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.helidon..",
            "java.net.http..",
            "jakarta.servlet..",
            "java.sql..",
            "javax.sql..",
            "org.jdbi..",
            "com.zaxxer..",
            "com.fasterxml..",
            "com.google.gson..",
            "org.json..",
            "dev.openwif.store..",
            "dev.openwif.server..",
            "dev.openwif.cli..")
        .check(core);
  }

  @Test
  void corePackagesWhenInspectedThenHaveNoCycles() {
    // (**) makes every package its own slice, so federation and federation.admin count as two.
    slices().matching("dev.openwif.(**)").should().beFreeOfCycles().check(core);
  }

  @Test
  void exchangeWhenInspectedThenNothingElseInCoreImportsIt() {
    noClasses()
        .that()
        .resideInAnyPackage(CORE)
        .and()
        .resideOutsideOfPackage("dev.openwif.exchange..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.openwif.exchange..")
        .check(core);
  }

  @Test
  void exchangeWhenInspectedThenReadsConfigurationOnlyThroughTheDirectoryPort() {
    noClasses()
        .that()
        .resideInAPackage("dev.openwif.exchange..")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("dev.openwif.directory.InMemoryFederationDirectory")
        .orShould()
        .dependOnClassesThat()
        .haveSimpleNameEndingWith("Repository")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("dev.openwif.federation.FederationStore")
        .orShould()
        .dependOnClassesThat()
        .resideInAPackage("dev.openwif.federation.admin..")
        .check(core);
  }

  @Test
  void federationDomainWhenInspectedThenKnowsNoAdminUseCase() {
    noClasses()
        .that()
        .resideInAPackage("dev.openwif.federation")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.openwif.federation.admin..")
        .check(core);
  }

  @Test
  void adminUseCasesWhenInspectedThenUsedByNoOtherCorePackage() {
    noClasses()
        .that()
        .resideInAnyPackage(CORE)
        .and()
        .resideOutsideOfPackage("dev.openwif.federation.admin..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.openwif.federation.admin..")
        .check(core);
  }

  @Test
  void auditWhenInspectedThenIsALeaf() {
    classes()
        .that()
        .resideInAPackage("dev.openwif.audit..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("dev.openwif.audit..", "java..", "org.jspecify.annotations..")
        .check(core);
  }

  @Test
  void usageWhenInspectedThenIsALeaf() {
    classes()
        .that()
        .resideInAPackage("dev.openwif.usage..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("dev.openwif.usage..", "java..", "org.jspecify.annotations..")
        .check(core);
  }
}
