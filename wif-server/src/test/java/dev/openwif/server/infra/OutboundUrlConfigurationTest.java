package dev.openwif.server.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link OutboundUrlGuard#configurationRefusalReason}: the admin-time check of issuer and discovery
 * URLs.
 */
class OutboundUrlConfigurationTest {
  private final OutboundUrlGuard production =
      new OutboundUrlGuard(false, OutboundUrlGuardTest::resolve);

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "metadata address|https://169.254.169.254/|link-local",
        "name resolving to the metadata address|https://metadata.test/|link-local",
        "private address|https://10.0.0.1/|a private address",
        "name resolving to a public and a private address|https://mixed.test/|a private address",
        "loopback|https://127.0.0.1/|loopback",
        "http|http://public.test/|only https"
      })
  void configurationRefusalReasonWhenForbiddenTargetThenSaysWhy(
      String name, String url, String reason) {
    assertThat(production.configurationRefusalReason(URI.create(url)))
        .hasValueSatisfying(r -> assertThat(r).contains(reason));
  }

  @Test
  void configurationRefusalReasonWhenNameDoesNotResolveThenAcceptedButFetchRefuses() {
    URI unresolvable = URI.create("https://issuer.unresolvable.test/");

    assertThat(production.configurationRefusalReason(unresolvable)).isEmpty();
    assertThat(production.refusalReason(unresolvable))
        .hasValueSatisfying(r -> assertThat(r).contains("does not resolve"));
  }

  @Test
  void configurationRefusalReasonWhenPublicHttpsThenEmpty() {
    assertThat(production.configurationRefusalReason(URI.create("https://public.test/"))).isEmpty();
  }
}
