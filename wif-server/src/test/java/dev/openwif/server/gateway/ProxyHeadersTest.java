package dev.openwif.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxyHeadersTest {
  private static Map<String, List<String>> headers(String... nameValue) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (int i = 0; i < nameValue.length; i += 2) {
      map.put(nameValue[i], List.of(nameValue[i + 1]));
    }
    return map;
  }

  @Test
  void toUpstreamWhenClientHeadersThenCredentialsHopByHopAndHostDropped() {
    Map<String, List<String>> out =
        ProxyHeaders.toUpstream(
            headers(
                "Authorization", "Bearer access-token",
                "Host", "wif.example",
                "Content-Length", "7",
                "Connection", "keep-alive, X-Hop",
                "X-Hop", "1",
                "Keep-Alive", "timeout=5",
                "Transfer-Encoding", "chunked",
                "TE", "trailers",
                "Trailer", "x",
                "Upgrade", "h2c",
                "Proxy-Authorization", "Basic x",
                "Accept-Encoding", "gzip",
                "OpenAI-Project", "proj_x",
                "Content-Type", "application/json",
                "X-Stainless-Lang", "java",
                "x-request-id", "req_1"));

    assertThat(out.keySet()).containsExactly("Content-Type", "X-Stainless-Lang", "x-request-id");
  }

  @Test
  void toClientWhenUpstreamHeadersThenOnlyTheAllowedOnesPass() {
    Map<String, List<String>> out =
        ProxyHeaders.toClient(
            headers(
                "content-type", "text/event-stream",
                "content-length", "12",
                "x-request-id", "req_1",
                "openai-processing-ms", "5",
                "openai-version", "2020-10-01",
                "x-ratelimit-limit-requests", "100",
                "retry-after", "3",
                "transfer-encoding", "chunked",
                "connection", "close",
                "set-cookie", "a=b",
                "server", "upstream",
                "www-authenticate", "Bearer",
                "openai-organization", "org-operator",
                "openai-project", "proj_operator"));

    assertThat(out.keySet())
        .containsExactly(
            "content-type",
            "content-length",
            "x-request-id",
            "openai-processing-ms",
            "openai-version",
            "x-ratelimit-limit-requests",
            "retry-after");
  }

  @Test
  void toClientWhenConnectionListsAnAllowedHeaderThenItIsDropped() {
    Map<String, List<String>> out =
        ProxyHeaders.toClient(headers("Connection", "x-request-id", "x-request-id", "req_1"));

    assertThat(out).isEmpty();
  }

  @Test
  void toUpstreamWhenMethodOverrideHeadersThenDropped() {
    Map<String, List<String>> out =
        ProxyHeaders.toUpstream(
            headers(
                "X-HTTP-Method-Override", "DELETE",
                "X-HTTP-Method", "DELETE",
                "X-Method-Override", "DELETE",
                "Content-Type", "application/json"));

    assertThat(out).containsOnlyKeys("Content-Type");
  }
}
