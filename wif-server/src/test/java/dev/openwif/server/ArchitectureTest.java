package dev.openwif.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The layering rules of docs/architecture.md that the POMs cannot hold. */
class ArchitectureTest {
  private static final String[] CORE = {
    "dev.openwif.federation..",
    "dev.openwif.directory..",
    "dev.openwif.oidc..",
    "dev.openwif.attribute..",
    "dev.openwif.policy..",
    "dev.openwif.token..",
    "dev.openwif.audit..",
    "dev.openwif.usage..",
    "dev.openwif.exchange.."
  };

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.openwif");
  }

  @Test
  void coreWhenInspectedThenUsesNoHttpSqlOrJson() {
    noClasses()
        .that()
        .resideInAnyPackage(CORE)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.helidon..",
            "com.fasterxml..",
            "java.sql..",
            "java.net.http..",
            "org.jdbi..",
            "dev.openwif.store..",
            "dev.openwif.server..")
        .check(classes);
  }

  @Test
  void coreWhenInspectedThenNothingOutsideExchangeImportsExchange() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.openwif.federation..",
            "dev.openwif.directory..",
            "dev.openwif.oidc..",
            "dev.openwif.attribute..",
            "dev.openwif.policy..",
            "dev.openwif.token..",
            "dev.openwif.audit..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.openwif.exchange..")
        .check(classes);
  }

  @Test
  void auditWhenInspectedThenIsALeaf() {
    noClasses()
        .that()
        .resideInAPackage("dev.openwif.audit..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.openwif.federation..",
            "dev.openwif.directory..",
            "dev.openwif.oidc..",
            "dev.openwif.attribute..",
            "dev.openwif.policy..",
            "dev.openwif.token..",
            "dev.openwif.exchange..")
        .check(classes);
  }

  @Test
  void gatewayWhenInspectedThenNeverTouchesTheStore() {
    noClasses()
        .that()
        .resideInAPackage("dev.openwif.server.gateway..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.openwif.store..", "java.sql..")
        .check(classes);
  }

  @Test
  void storeWhenInspectedThenMakesNoHttpOrDecisions() {
    noClasses()
        .that()
        .resideInAPackage("dev.openwif.store..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.openwif.server..",
            "io.helidon..",
            "dev.openwif.exchange..",
            "dev.openwif.directory..",
            "dev.openwif.federation.admin..",
            "dev.openwif.policy..",
            "dev.openwif.oidc..")
        .check(classes);
  }

  @Test
  void packagesWhenInspectedThenHaveNoCycles() {
    slices().matching("dev.openwif.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void serverSubPackagesWhenInspectedThenHaveNoCycles() {
    // sts, gateway, admin, http, infra: one slice each; the composition root is in none
    slices().matching("dev.openwif.server.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void storeWhenInspectedThenImportedOnlyByCompositionRootAndInfrastructure() {
    noClasses()
        .that()
        .resideInAPackage("dev.openwif.server..")
        .and()
        .resideOutsideOfPackages("dev.openwif.server", "dev.openwif.server.infra..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.openwif.store..")
        .check(classes);
  }

  @Test
  void gatewayWhenInspectedThenNeverRunsTheExchangeNorReachesIntoSiblings() {
    // The exchange use case is the whole dev.openwif.exchange package (TokenExchange,
    // EarlyRefusals, ExchangeRequest, ExchangeOutcome, OAuthError, ...): the gateway verifies the
    // tokens it mints through dev.openwif.token and reads revocations through
    // dev.openwif.directory.
    noClasses()
        .that()
        .resideInAPackage("dev.openwif.server.gateway..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.openwif.exchange..", "dev.openwif.server.sts..", "dev.openwif.server.admin..")
        .check(classes);
  }

  @Test
  void exchangeWhenInspectedThenUsedOnlyByTheTokenServiceAndCompositionRoot() {
    // the admin API and the dashboard only through the explainer (next test)
    noClasses()
        .that()
        .resideInAPackage("dev.openwif.server..")
        .and()
        .resideOutsideOfPackages(
            "dev.openwif.server",
            "dev.openwif.server.sts..",
            "dev.openwif.server.admin..",
            "dev.openwif.server.dashboard..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.openwif.exchange..")
        .check(classes);
  }

  @Test
  void exchangeWhenInspectedThenTheAdminApiAndDashboardUseOnlyItsExplainer() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.openwif.server.admin..", "dev.openwif.server.dashboard..")
        .should()
        .dependOnClassesThat(
            com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage(
                    "dev.openwif.exchange..")
                .and(
                    com.tngtech.archunit.base.DescribedPredicate.not(
                        com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching(
                            "dev\\.openwif\\.exchange\\.ExchangeExpla(iner|nation).*"))))
        .check(classes);
  }

  @Test
  void adminUseCasesWhenInspectedThenUsedOnlyByTheAdminApiDashboardAndCompositionRoot() {
    noClasses()
        .that()
        .resideInAPackage("dev.openwif.server..")
        .and()
        .resideOutsideOfPackages(
            "dev.openwif.server", "dev.openwif.server.admin..", "dev.openwif.server.dashboard..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.openwif.federation.admin..")
        .check(classes);
  }
}
