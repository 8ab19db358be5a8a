package dev.openwif.server.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import java.io.IOException;
import java.util.Optional;

/**
 * Reads the {@code model} and {@code usage} of one JSON document fed to it in pieces, as they
 * arrive, without keeping the document: Jackson's non-blocking parser holds only the token being
 * read (a string is held whole, up to {@link #MAX_STRING} characters; a longer one ends the scan).
 *
 * <p>They are read from the top-level object (chat completions, completions, embeddings, responses)
 * or from its {@code response} member (the Responses API's stream events such as {@code
 * response.completed}). Input tokens are {@code input_tokens} or {@code prompt_tokens}, output
 * tokens {@code output_tokens} or {@code completion_tokens}. Anything else, malformed JSON
 * included, is ignored: the scan stops and reports what it saw. Not thread-safe (one per document).
 */
final class UsageScanner {
  /** Longest string the scanner holds; a longer one (a huge output text) ends the scan. */
  static final int MAX_STRING = 4 << 20;

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxStringLength(MAX_STRING)
                  .maxNestingDepth(200)
                  .build())
          .build();

  private final JsonParser parser;
  private final ByteArrayFeeder feeder;
  private boolean stopped;
  private int depth;

  /** The member name last seen at depth 1 (top level) and depth 2. */
  private String field1 = "";

  private String field2 = "";

  /** Depth of the object holding model/usage being read (1 or 2), 0 outside one. */
  private int usageDepth;

  private String usageField = "";
  private Optional<String> model = Optional.empty();
  private long inputTokens;
  private long outputTokens;
  private boolean sawUsage;
  private boolean inUsage;

  UsageScanner() {
    try {
      this.parser = FACTORY.createNonBlockingByteArrayParser();
    } catch (IOException e) {
      throw new IllegalStateException("Jackson's non-blocking parser is not available", e);
    }
    this.feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
  }

  /** Reads {@code len} more bytes of the document; they are not kept after the call. */
  void feed(byte[] bytes, int off, int len) {
    if (stopped || len == 0) {
      return;
    }
    try {
      feeder.feedInput(bytes, off, off + len);
      drain();
    } catch (IOException | RuntimeException e) {
      stop();
    }
  }

  /** The document is complete. */
  void end() {
    if (stopped) {
      return;
    }
    feeder.endOfInput();
    try {
      drain();
    } catch (IOException | RuntimeException e) {
      // malformed or cut: what was seen stays
    }
    stop();
  }

  Optional<String> model() {
    return model;
  }

  /** Whether a {@code usage} object was read to its end. */
  boolean sawUsage() {
    return sawUsage;
  }

  long inputTokens() {
    return inputTokens;
  }

  long outputTokens() {
    return outputTokens;
  }

  private void stop() {
    stopped = true;
    try {
      parser.close();
    } catch (IOException e) {
      // nothing held
    }
  }

  private void drain() throws IOException {
    JsonToken token;
    while ((token = parser.nextToken()) != null && token != JsonToken.NOT_AVAILABLE) {
      step(token);
    }
  }

  private void step(JsonToken token) throws IOException {
    switch (token) {
      case START_OBJECT, START_ARRAY -> {
        depth++;
        if (token == JsonToken.START_OBJECT) {
          enteredObject();
        }
      }
      case END_OBJECT, END_ARRAY -> {
        if (inUsage && depth == usageDepth + 1) {
          inUsage = false;
          sawUsage = true;
        }
        depth--;
      }
      case FIELD_NAME -> {
        String name = parser.currentName();
        if (depth == 1) {
          field1 = name;
        } else if (depth == 2) {
          field2 = name;
        }
        if (inUsage && depth == usageDepth + 1) {
          usageField = name;
        }
      }
      case VALUE_STRING -> {
        if (holder(depth) && currentField(depth).equals("model")) {
          model = Optional.of(parser.getText());
        }
      }
      case VALUE_NUMBER_INT -> {
        if (inUsage && depth == usageDepth + 1) {
          count(parser.getLongValue());
        }
      }
      default -> {
        // other scalars do not matter
      }
    }
  }

  private void enteredObject() {
    // depth is the new object's depth
    if (depth == 1) {
      return;
    }
    int parent = depth - 1;
    if (holder(parent) && currentField(parent).equals("usage")) {
      inUsage = true;
      usageDepth = parent;
      usageField = "";
      inputTokens = 0;
      outputTokens = 0;
    }
  }

  /** Whether the object at {@code d} is one that holds model and usage. */
  private boolean holder(int d) {
    return d == 1 || (d == 2 && field1.equals("response"));
  }

  private String currentField(int d) {
    return d == 1 ? field1 : field2;
  }

  private void count(long value) {
    if (value < 0) {
      return;
    }
    switch (usageField) {
      case "input_tokens", "prompt_tokens" -> inputTokens = value;
      case "output_tokens", "completion_tokens" -> outputTokens = value;
      default -> {
        // total_tokens and the *_details objects' members are not counted apart
      }
    }
  }
}
