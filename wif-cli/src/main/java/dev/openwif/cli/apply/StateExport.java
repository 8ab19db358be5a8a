package dev.openwif.cli.apply;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes the server's state as a configuration file, the format {@link ConfigReader} reads: only
 * fields that differ from their defaults, service accounts inside their project, rules inside their
 * provider, {@code managed: false} on providers and rules that do not carry the managed mark. Read
 * back, it plans no change. Stateless.
 */
public final class StateExport {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final YAMLMapper YAML =
      YAMLMapper.builder(
              YAMLFactory.builder()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                  .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                  .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                  .build())
          .build();

  private StateExport() {}

  /** The document as a tree. */
  public static ObjectNode document(LiveState live) {
    ObjectNode doc = NODES.objectNode().put("version", ConfigReader.VERSION);
    Map<String, ObjectNode> projects = new LinkedHashMap<>();
    Map<String, ObjectNode> providers = new LinkedHashMap<>();
    for (LiveResource r : live.resources()) {
      Resource res = r.resource();
      switch (res.kind()) {
        case PROJECT -> projects.putIfAbsent(res.address().name(), object(res));
        case SERVICE_ACCOUNT ->
            child(projects.get(res.address().parent()), "service_accounts", object(res));
        case PROVIDER -> providers.putIfAbsent(res.address().name(), object(res));
        case RULE -> child(providers.get(res.address().parent()), "rules", object(res));
      }
    }
    ArrayNode p = doc.putArray("projects");
    projects.values().forEach(p::add);
    ArrayNode w = doc.putArray("providers");
    providers.values().forEach(w::add);
    return doc;
  }

  /** The document as YAML text, after a comment line saying where it came from. */
  public static String yaml(LiveState live, String server) {
    try {
      return "# wif export of " + server + "\n" + YAML.writeValueAsString(document(live));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write YAML", e);
    }
  }

  private static ObjectNode object(Resource r) {
    ObjectNode o = NODES.objectNode().put("name", r.address().name());
    for (String field : r.kind().fields()) {
      JsonNode value = r.fields().get(field);
      if (value != null) {
        o.set(field, value);
      }
    }
    return o;
  }

  private static void child(@Nullable ObjectNode parent, String list, ObjectNode item) {
    if (parent != null) {
      parent.withArray(list).add(item);
    }
  }
}
