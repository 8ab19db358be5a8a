package dev.openwif.server.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OutboundUrlGuardTest {
  /** Resolves literals as themselves and a few test names, without DNS. */
  static InetAddress[] resolve(String host) throws UnknownHostException {
    Map<String, String[]> names =
        Map.of(
            "public.test", new String[] {"8.8.8.8", "2001:4860:4860::8888"},
            "mixed.test", new String[] {"8.8.8.8", "10.1.2.3"},
            "metadata.test", new String[] {"169.254.169.254"});
    if (names.containsKey(host)) {
      String[] literals = names.get(host);
      InetAddress[] out = new InetAddress[literals.length];
      for (int i = 0; i < literals.length; i++) {
        out[i] = InetAddress.getByName(literals[i]);
      }
      return out;
    }
    if (host.matches("[0-9.]+") || host.contains(":")) {
      return new InetAddress[] {InetAddress.getByName(host)};
    }
    throw new UnknownHostException(host);
  }

  private final OutboundUrlGuard production =
      new OutboundUrlGuard(false, OutboundUrlGuardTest::resolve);
  private final OutboundUrlGuard dev = new OutboundUrlGuard(true, OutboundUrlGuardTest::resolve);

  private static URI https(String host) {
    return URI.create("https://" + (host.contains(":") ? "[" + host + "]" : host) + "/jwks");
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "private 10/8|10.0.0.1|a private address",
        "private 172.16/12 low|172.16.0.1|a private address",
        "private 172.16/12 high|172.31.255.255|a private address",
        "private 192.168/16|192.168.1.1|a private address",
        "unique local fc00::/7|fc00::1|unique local",
        "unique local fd00::/8|fd12:3456::1|unique local",
        "metadata 169.254.169.254|169.254.169.254|link-local",
        "link-local fe80::/10|fe80::1|link-local",
        "loopback 127/8|127.0.0.1|loopback",
        "loopback 127.1.2.3|127.1.2.3|loopback",
        "loopback ::1|::1|loopback",
        "unspecified 0.0.0.0|0.0.0.0|unspecified",
        "unspecified ::|::|unspecified",
        "multicast 224/4|224.0.0.1|multicast",
        "multicast ff02::1|ff02::1|multicast",
        "CGNAT 100.64/10 low|100.64.0.1|carrier-grade NAT",
        "CGNAT 100.64/10 high|100.127.255.255|carrier-grade NAT",
        "IPv4-mapped private|::ffff:10.0.0.1|a private address",
        "NAT64 of metadata|64:ff9b::a9fe:a9fe|link-local",
        "NAT64 of a private address|64:ff9b::10.0.0.1|a private address",
        "NAT64 of loopback|64:ff9b::127.0.0.1|loopback",
        "local-use NAT64 64:ff9b:1::/48|64:ff9b:1::a00:1|local-use NAT64",
        "local-use NAT64 of a public address|64:ff9b:1:abcd::808:808|local-use NAT64",
        "6to4 of a private address|2002:a00:1::1|6to4",
        "6to4 of metadata|2002:a9fe:a9fe::1|6to4",
        "6to4 of a public address|2002:808:808::1|6to4",
        "Teredo|2001:0:4136:e378:8000:63bf:3fff:fdd2|Teredo",
        "Teredo of a private server|2001:0:a00:1::1|Teredo",
        "documentation 2001:db8::/32|2001:db8::1|documentation",
        "IPv4-translated private|::ffff:0:a00:1|a private address",
        "IPv4-compatible metadata|::169.254.169.254|link-local",
        "discard-only 100::/64|100::1|not global unicast",
        "reserved ::/8 outside 2000::/3|1::1|not global unicast",
        "site-local fec0::/10|fec0::1|a private address",
        "this network 0/8|0.1.2.3|reserved",
        "broadcast|255.255.255.255|reserved",
        "benchmarking 198.18/15|198.18.0.1|reserved",
        "name resolving to metadata|metadata.test|link-local",
        "name with one private address among public ones|mixed.test|10.1.2.3"
      })
  void refusalReasonWhenAddressClassForbiddenThenNamesIt(
      String name, String host, String expected) {
    assertThat(production.refusalReason(https(host)))
        .hasValueSatisfying(r -> assertThat(r).contains(expected));
  }

  @Test
  void refusalReasonWhenResolverAnswersIpv4MappedInet6AddressThenEmbeddedAddressChecked()
      throws UnknownHostException {
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    mapped[12] = (byte) 169;
    mapped[13] = (byte) 254;
    mapped[14] = (byte) 169;
    mapped[15] = (byte) 254;
    InetAddress v6 = Inet6Address.getByAddress(null, mapped, -1);
    OutboundUrlGuard guard = new OutboundUrlGuard(false, host -> new InetAddress[] {v6});

    assertThat(v6).isInstanceOf(Inet6Address.class);
    assertThat(guard.refusalReason(https("mapped.test")))
        .hasValueSatisfying(r -> assertThat(r).contains("link-local"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "8.8.8.8",
        "2001:4860:4860::8888",
        "2a00:1450:4001:80b::200e",
        "64:ff9b::808:808",
        "172.32.0.1",
        "100.128.0.1",
        "public.test"
      })
  void refusalReasonWhenHttpsToPublicAddressThenAllowed(String host) {
    assertThat(production.refusalReason(https(host))).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "http://public.test/jwks|only https",
        "ftp://public.test/jwks|only https",
        "https://user:pw@public.test/jwks|credentials",
        "/jwks|not absolute",
        "https://nowhere.test/jwks|does not resolve"
      })
  void refusalReasonWhenUrlShapeForbiddenThenNamesIt(String url, String expected) {
    assertThat(production.refusalReason(URI.create(url)))
        .hasValueSatisfying(r -> assertThat(r).contains(expected));
  }

  @Test
  void refusalReasonWhenDevModeThenHttpAndLoopbackAllowedButOtherPrivateRangesNot() {
    assertThat(dev.refusalReason(URI.create("http://127.0.0.1:8082/jwks"))).isEmpty();
    assertThat(dev.refusalReason(URI.create("http://[::1]:8082/jwks"))).isEmpty();
    assertThat(dev.refusalReason(URI.create("http://10.0.0.1/jwks")))
        .hasValueSatisfying(r -> assertThat(r).contains("private"));
    assertThat(dev.refusalReason(URI.create("http://169.254.169.254/")))
        .hasValueSatisfying(r -> assertThat(r).contains("link-local"));
    assertThat(dev.refusalReason(URI.create("file:///etc/passwd")))
        .hasValueSatisfying(r -> assertThat(r).contains("only http and https"));
  }
}
