package dev.openwif.cli.apply;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the server's state through the admin API: active projects and their service accounts,
 * providers and their rules, every page of each list. Lists are read 100 at a time and at most
 * {@value #MAX_PAGES} pages each, so a server that never says "no more" cannot keep it looping. Not
 * thread-safe.
 */
public final class LiveStateReader {
  static final int MAX_PAGES = 1000;

  private final AdminCalls admin;

  public LiveStateReader(AdminCalls admin) {
    this.admin = admin;
  }

  public LiveState read() {
    List<LiveResource> out = new ArrayList<>();
    Map<String, Address> accounts = new HashMap<>();
    for (JsonNode project : all("/projects")) {
      Resource p = ApiShapes.project(project);
      String projectId = project.path("id").asText();
      out.add(new LiveResource(p, projectId, Optional.empty(), project));
      for (JsonNode account : all("/projects/" + segment(projectId) + "/service_accounts")) {
        Resource a = ApiShapes.account(p.address().name(), account);
        String id = account.path("id").asText();
        accounts.put(id, a.address());
        out.add(new LiveResource(a, id, Optional.of(projectId), account));
      }
    }
    List<LiveResource> rules = new ArrayList<>();
    for (JsonNode provider : all("/workload_identity_providers")) {
      Resource p = ApiShapes.provider(provider);
      String providerId = provider.path("id").asText();
      out.add(new LiveResource(p, providerId, Optional.empty(), provider));
      for (JsonNode rule :
          all("/workload_identity_providers/" + segment(providerId) + "/federation_rules")) {
        rules.add(
            new LiveResource(
                ApiShapes.rule(p.address().name(), rule, accounts),
                rule.path("id").asText(),
                Optional.of(providerId),
                rule));
      }
    }
    out.addAll(rules);
    return new LiveState(out);
  }

  private List<JsonNode> all(String path) {
    List<JsonNode> items = new ArrayList<>();
    Optional<String> after = Optional.empty();
    for (int page = 0; page < MAX_PAGES; page++) {
      JsonNode list =
          admin.get(path + "?limit=100" + after.map(a -> "&after=" + segment(a)).orElse(""));
      list.path("data").forEach(items::add);
      if (!list.path("has_more").asBoolean(false) || !list.path("last_id").isTextual()) {
        return items;
      }
      after = Optional.of(list.path("last_id").asText());
    }
    throw new IllegalStateException(
        path + " still had more after " + MAX_PAGES + " pages; the server's list does not end");
  }

  static String segment(String id) {
    return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
