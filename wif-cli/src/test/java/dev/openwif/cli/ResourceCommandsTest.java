package dev.openwif.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The paths and bodies the resource commands build from their options, without a server. */
class ResourceCommandsTest {
  @Test
  void pathWhenAnItemBelowAParentThenBothIdsAreEncodedSegments() {
    RulesCommand.Get get = new RulesCommand.Get();
    new CommandLine(get).parseArgs("--provider", "wip_a b", "fr/1");

    assertThat(get.item.path())
        .isEqualTo("/workload_identity_providers/wip_a%20b/federation_rules/fr%2F1");
    assertThat(get.columns()).isSameAs(RulesCommand.COLUMNS);
  }

  @Test
  void pathWhenACollectionBelowAProjectThenItsServiceAccounts() {
    ServiceAccountsCommand.ListAccounts list = new ServiceAccountsCommand.ListAccounts();
    new CommandLine(list).parseArgs("--project", "proj_1", "--limit", "5");

    assertThat(list.collection.path()).isEqualTo("/projects/proj_1/service_accounts");
    assertThat(list.query()).containsExactly(Map.entry("limit", "5"));
  }

  @Test
  void bodyWhenAnUpdateGivesNoFieldThenRefusedNamingWhatToGive() {
    ServiceAccountsCommand.Update update = new ServiceAccountsCommand.Update();
    new CommandLine(update).parseArgs("--project", "proj_1", "sa_1");

    assertThatThrownBy(update.fields::forUpdate)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("nothing to change: give --name, a rate limit option or -f FILE");
  }

  @Test
  void bodyWhenAProjectIsCreatedWithoutANameThenRefused() {
    ProjectsCommand.Create create = new ProjectsCommand.Create();
    new CommandLine(create).parseArgs();

    assertThatThrownBy(create.fields::forCreate)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("give --name NAME (or a name in the -f file)");
  }

  @Test
  void bodyWhenARuleIsUpdatedThenOnlyTheGivenFields() {
    RulesCommand.Update update = new RulesCommand.Update();
    new CommandLine(update).parseArgs("--provider", "wip_1", "fr_1", "--match", "sub=ci");

    assertThat(update.fields.forUpdate().toString())
        .isEqualTo("{\"attribute_matchers\":{\"sub\":\"ci\"}}");
  }
}
