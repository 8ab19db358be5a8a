package dev.openwif.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrustedProxiesTest {
  private static final TrustedProxies LB =
      new TrustedProxies(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("fd00::/8")));

  private static InetAddress ip(String literal) {
    return TrustedProxies.literal(literal).orElseThrow();
  }

  @Test
  void clientWhenNoProxyTrustedThenThePeerWhateverTheHeaderSays() {
    assertThat(TrustedProxies.none().client(ip("10.1.2.3"), List.of("203.0.113.9")))
        .isEqualTo(ip("10.1.2.3"));
  }

  @Test
  void clientWhenPeerIsNotATrustedProxyThenThePeer() {
    assertThat(LB.client(ip("198.51.100.7"), List.of("203.0.113.9"))).isEqualTo(ip("198.51.100.7"));
  }

  @Test
  void clientWhenTrustedPeerThenTheRightMostUntrustedHop() {
    assertThat(LB.client(ip("10.0.0.2"), List.of("1.1.1.1, 203.0.113.9, 10.0.0.5")))
        .isEqualTo(ip("203.0.113.9"));
  }

  @Test
  void clientWhenSeveralHeaderLinesThenTheyAreOneListInOrder() {
    assertThat(LB.client(ip("10.0.0.2"), List.of("1.1.1.1", "203.0.113.9")))
        .isEqualTo(ip("203.0.113.9"));
  }

  @Test
  void clientWhenTheClientForgesEntriesOnTheLeftThenTheyAreIgnored() {
    assertThat(LB.client(ip("10.0.0.2"), List.of("10.9.9.9, 198.51.100.1")))
        .isEqualTo(ip("198.51.100.1"));
  }

  @Test
  void clientWhenEveryHopIsTrustedThenTheLeftMost() {
    assertThat(LB.client(ip("10.0.0.2"), List.of("10.0.0.9, 10.0.0.3"))).isEqualTo(ip("10.0.0.9"));
  }

  @Test
  void clientWhenAMalformedOrNamedEntryThenTheLastAddressAProxyVouchedFor() {
    assertThat(LB.client(ip("10.0.0.2"), List.of("evil.example, 10.0.0.4")))
        .isEqualTo(ip("10.0.0.4"));
    assertThat(LB.client(ip("10.0.0.2"), List.of("1.2.3.4, 999.1.1.1"))).isEqualTo(ip("10.0.0.2"));
    assertThat(LB.client(ip("10.0.0.2"), List.of(""))).isEqualTo(ip("10.0.0.2"));
  }

  @Test
  void clientWhenIpv6ThroughATrustedIpv6ProxyThenTheIpv6Client() {
    assertThat(LB.client(ip("fd00::1"), List.of("[2001:db8::7]"))).isEqualTo(ip("2001:db8::7"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"localhost", "example.com", "1.2.3", "1.2.3.4.5", "::g", "", "1.2.3.4:80"})
  void literalWhenNotAnIpLiteralThenEmpty(String text) {
    assertThat(TrustedProxies.literal(text)).isEmpty();
  }

  @Test
  void cidrWhenParsedThenContainsItsRangeOnly() {
    Cidr range = Cidr.parse("192.168.0.0/16");
    assertThat(range.contains(ip("192.168.44.1"))).isTrue();
    assertThat(range.contains(ip("192.169.0.1"))).isFalse();
    assertThat(range.contains(ip("::1"))).isFalse();
    assertThat(Cidr.parse("127.0.0.1").contains(ip("127.0.0.1"))).isTrue();
    assertThat(Cidr.parse("127.0.0.1").contains(ip("127.0.0.2"))).isFalse();
    assertThat(Cidr.parse("0.0.0.0/0").contains(ip("8.8.8.8"))).isTrue();
    assertThat(Cidr.parse("2001:db8::/32").contains(ip("2001:db8:ffff::1"))).isTrue();
    assertThat(Cidr.parse("2001:db8::/32").toString()).isEqualTo("2001:db8:0:0:0:0:0:0/32");
  }

  @Test
  void cidrWhenInvalidThenSaysWhat() {
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33"))
        .hasMessageContaining("prefix length outside 0..32");
    assertThatThrownBy(() -> Cidr.parse("10.0.0.1/8"))
        .hasMessageContaining("host bits set")
        .hasMessageContaining("10.0.0.0/8");
    assertThatThrownBy(() -> Cidr.parse("proxy.internal"))
        .hasMessageContaining("not an IP address or CIDR range");
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/-1")).hasMessageContaining("prefix length");
  }
}
