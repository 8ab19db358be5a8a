package dev.openwif.cli.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The published JSON Schema (docs/config-as-code.schema.json) and the reader agree: the guide's
 * file and an export are valid, and the files the reader refuses are invalid.
 */
class ConfigSchemaTest {
  static final Path SCHEMA =
      Path.of(System.getProperty("user.dir"))
          .getParent()
          .resolve("docs/config-as-code.schema.json");
  private static final YAMLMapper YAML = new YAMLMapper();

  /** The schema's complaints about {@code yaml} (empty when valid). */
  static List<String> errors(String yaml) throws Exception {
    Schema schema =
        SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(Files.readString(SCHEMA), InputFormat.JSON);
    JsonNode document = YAML.readTree(yaml);
    return schema.validate(document).stream().map(Error::toString).toList();
  }

  @Test
  void schemaWhenGuideThenValid() throws Exception {
    assertThat(errors(Files.readString(ConfigReaderTest.GUIDE))).isEmpty();
  }

  @Test
  void schemaWhenExportThenValid() throws Exception {
    ServerObjects s = ServerObjects.guideApplied();
    s.provider(
        "jwks-provider",
        null,
        "https://j.example",
        "x",
        "\"verification\":{\"type\":\"uploaded_jwks\",\"jwks\":{\"keys\":[]}}");

    assertThat(errors(StateExport.yaml(s.state(), "http://127.0.0.1:1"))).isEmpty();
  }

  static List<Arguments> badFiles() {
    Set<String> notSchemaMatters = Set.of("bad YAML", "duplicate key", "project named twice");
    return ConfigReaderTest.badFiles()
        .filter(a -> !notSchemaMatters.contains((String) a.get()[0]))
        .toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFiles")
  void schemaWhenReaderRefusesThenInvalidToo(String name, String text, String readerError)
      throws Exception {
    assertThat(errors(text)).as(readerError).isNotEmpty();
  }
}
