package dev.openwif.server.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.audit.ReasonCode;
import dev.openwif.server.http.RequestObserver;
import org.junit.jupiter.api.Test;

class HttpMetricsTest {
  private final WifMetrics metrics = new WifMetrics("1.2.3", "jdk");

  @Test
  void routeWhenAnsweredThenCountedByPatternAndStatusAndGatewayRoutesApart() {
    HttpMetrics http = metrics.http();
    RequestObserver.Answered models = http.route("GET", "/v1/models/{id}");
    RequestObserver.Answered admin = http.route("GET", "/v1/organization/projects");
    models.answered(200, 1_000);
    models.answered(200, 1_000);
    models.answered(404, 1_000);
    admin.answered(401, 1_000);

    String scrape = metrics.scrape();

    assertThat(scrape)
        .contains("wif_gateway_requests_total{route=\"/v1/models/{id}\",status=\"200\"} 2.0")
        .contains("wif_gateway_requests_total{route=\"/v1/models/{id}\",status=\"404\"} 1.0")
        .contains(
            "wif_http_requests_total{method=\"GET\",route=\"/v1/organization/projects\",status=\"401\"} 1.0")
        .doesNotContain("wif_gateway_requests_total{route=\"/v1/organization");
  }

  @Test
  void exchangesWhenRecordedThenCountedByOutcomeAndReasonAndOverloadIsAnAdmissionRejection() {
    ExchangeMetrics exchanges = metrics.exchanges();
    exchanges.issued(100_000);
    exchanges.rejected(ReasonCode.SIGNATURE_INVALID, 50_000);
    exchanges.rejected(ReasonCode.OVERLOADED, 1_000);
    exchanges.rejected(ReasonCode.INTERNAL_ERROR, 1_000);
    exchanges.unaudited(1_000);

    String scrape = metrics.scrape();

    assertThat(scrape)
        .contains("wif_token_exchanges_total{outcome=\"issued\",reason=\"none\"} 1.0")
        .contains(
            "wif_token_exchanges_total{outcome=\"rejected\",reason=\"signature_invalid\"} 1.0")
        .contains("wif_token_exchanges_total{outcome=\"failed\",reason=\"internal_error\"} 1.0")
        .contains("wif_token_exchanges_total{outcome=\"failed\",reason=\"audit_unavailable\"} 1.0")
        .contains("wif_admission_rejections_total 1.0")
        .contains("wif_token_exchange_duration_seconds_count 5")
        .contains("wif_build_info{crypto=\"jdk\",version=\"1.2.3\"} 1");
  }

  @Test
  void bucketsWhenAskedForARangeThenOneTwoAndAHalfAndFivePerDecadeInIt() {
    assertThat(ExchangeMetrics.buckets(0.001, 0.1))
        .extracting(d -> d.toNanos() / 1e9)
        .containsExactly(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1);
  }
}
