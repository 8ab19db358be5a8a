package dev.openwif.cli.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Prints an admin API answer in an {@link OutputFormat}. {@code json} is the server's JSON
 * (pretty-printed, nothing added or dropped) and {@code yaml} the same tree as YAML. {@code table}
 * shows a list ({@code "object": "list"}) as one row per item under the given columns, and a single
 * object as one {@code FIELD VALUE} row per member. Stateless.
 */
public final class Output {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build());

  private Output() {}

  /** Prints {@code answer} in {@code format}; {@code columns} serve the table of a list. */
  public static void print(
      PrintWriter out, OutputFormat format, JsonNode answer, List<Column> columns) {
    switch (format) {
      case json -> out.println(json(answer));
      case yaml -> out.print(yaml(answer));
      case table -> {
        if (isList(answer)) {
          table(out, answer.path("data"), columns);
        } else {
          fields(out, answer);
        }
      }
    }
    out.flush();
  }

  /** Whether {@code answer} is a page of a list ({@code "object": "list"}). */
  public static boolean isList(JsonNode answer) {
    return "list".equals(answer.path("object").asText()) && answer.path("data").isArray();
  }

  /** One row per item of {@code items}, under a heading row. */
  public static void table(PrintWriter out, JsonNode items, List<Column> columns) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(columns.stream().map(Column::heading).toList());
    for (JsonNode item : items) {
      rows.add(columns.stream().map(c -> c.cell().apply(item)).toList());
    }
    columns(out, rows);
  }

  private static void fields(PrintWriter out, JsonNode object) {
    List<List<String>> rows = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : object.properties()) {
      rows.add(List.of(field.getKey(), Column.text(field.getValue())));
    }
    columns(out, rows);
  }

  /** Left-aligned columns, each as wide as its widest cell, two spaces apart. */
  public static void columns(PrintWriter out, List<List<String>> rows) {
    int count = rows.stream().mapToInt(List::size).max().orElse(0);
    int[] widths = new int[count];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(row.get(i));
        if (i < row.size() - 1) {
          line.append(" ".repeat(widths[i] - row.get(i).length() + 2));
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }

  /** {@code node} as indented JSON. */
  public static String json(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /** {@code node} as YAML (a block document, no leading {@code ---}). */
  public static String yaml(JsonNode node) {
    try {
      return YAML.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write YAML", e);
    }
  }
}
