package dev.openwif.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.usage.UsageCounts;
import dev.openwif.usage.UsageDimension;
import dev.openwif.usage.UsageKey;
import dev.openwif.usage.UsageQuery;
import dev.openwif.usage.UsageTotal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

class JdbcUsageRepositoryTest {
  /** 2026-12-06T00:00:00Z, a whole day. */
  private static final Instant DAY = Instant.ofEpochSecond(1_796_515_200L);

  private static UsageKey key(int minute, String project, String model, String status) {
    return new UsageKey(
        DAY.plus(Duration.ofMinutes(minute)), project, "sa_" + project, "wip_1", model, status);
  }

  @StoreTest
  void addWhenSameKeyTwiceThenCountsAddUp(JdbcFederationStore store) {
    store.usage().add(Map.of(key(0, "proj_a", "gpt-4o", "2xx"), new UsageCounts(2, 10, 20)));
    store.usage().add(Map.of(key(0, "proj_a", "gpt-4o", "2xx"), new UsageCounts(1, 5, 7)));

    List<UsageTotal> totals =
        store
            .usage()
            .totals(
                new UsageQuery(
                    DAY, DAY.plus(Duration.ofDays(1)), Duration.ofDays(1), Set.of(), Map.of()));
    assertThat(totals).containsExactly(new UsageTotal(DAY, Map.of(), new UsageCounts(3, 15, 27)));
  }

  @StoreTest
  void totalsWhenGroupedByProjectAndModelPerHourThenSumsPerBucketAndGroup(
      JdbcFederationStore store) {
    store
        .usage()
        .add(
            Map.of(
                key(0, "proj_a", "gpt-4o", "2xx"), new UsageCounts(1, 10, 1),
                key(59, "proj_a", "gpt-4o", "4xx"), new UsageCounts(2, 0, 0),
                key(30, "proj_a", "", "2xx"), new UsageCounts(1, 0, 0),
                key(61, "proj_a", "gpt-4o", "2xx"), new UsageCounts(4, 40, 4),
                key(5, "proj_b", "o3", "2xx"), new UsageCounts(1, 100, 200),
                key(24 * 60, "proj_b", "o3", "2xx"), new UsageCounts(9, 9, 9)));

    List<UsageTotal> totals =
        store
            .usage()
            .totals(
                new UsageQuery(
                    DAY,
                    DAY.plus(Duration.ofDays(1)),
                    Duration.ofHours(1),
                    Set.of(UsageDimension.PROJECT, UsageDimension.MODEL),
                    Map.of()));

    Instant hour1 = DAY.plus(Duration.ofHours(1));
    assertThat(totals)
        .containsExactly(
            new UsageTotal(
                DAY,
                Map.of(UsageDimension.PROJECT, "proj_a", UsageDimension.MODEL, ""),
                new UsageCounts(1, 0, 0)),
            new UsageTotal(
                DAY,
                Map.of(UsageDimension.PROJECT, "proj_a", UsageDimension.MODEL, "gpt-4o"),
                new UsageCounts(3, 10, 1)),
            new UsageTotal(
                DAY,
                Map.of(UsageDimension.PROJECT, "proj_b", UsageDimension.MODEL, "o3"),
                new UsageCounts(1, 100, 200)),
            new UsageTotal(
                hour1,
                Map.of(UsageDimension.PROJECT, "proj_a", UsageDimension.MODEL, "gpt-4o"),
                new UsageCounts(4, 40, 4)));
  }

  @StoreTest
  void totalsWhenFilteredThenOnlyMatchingKeys(JdbcFederationStore store) {
    store
        .usage()
        .add(
            Map.of(
                key(0, "proj_a", "gpt-4o", "2xx"), new UsageCounts(1, 10, 1),
                key(1, "proj_b", "gpt-4o", "2xx"), new UsageCounts(2, 20, 2),
                key(2, "proj_c", "o3", "5xx"), new UsageCounts(4, 0, 0)));

    List<UsageTotal> totals =
        store
            .usage()
            .totals(
                new UsageQuery(
                    DAY,
                    DAY.plus(Duration.ofMinutes(2)),
                    Duration.ofMinutes(1),
                    Set.of(UsageDimension.STATUS_CLASS),
                    Map.of(UsageDimension.PROJECT, Set.of("proj_b", "proj_c"))));

    assertThat(totals)
        .containsExactly(
            new UsageTotal(
                DAY.plus(Duration.ofMinutes(1)),
                Map.of(UsageDimension.STATUS_CLASS, "2xx"),
                new UsageCounts(2, 20, 2)));
  }
}
