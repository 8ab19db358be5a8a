package dev.openwif.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MultipartTest {
  private static final String BOUNDARY = "b0undary";

  private static byte[] body(byte[] file) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(
        ("--"
                + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nassistants\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(
        ("--"
                + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(file);
    out.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  @Test
  void partWhenNamedThenItsExactBytesAndFilename() {
    byte[] file = {0, '\r', '\n', '-', '-', 'x', (byte) 0xff, '\r', '\n'};

    Multipart.Part part = Multipart.part(body(file), BOUNDARY, "file").orElseThrow();

    assertThat(part.filename()).isEqualTo("a.bin");
    assertThat(part.content()).containsExactly(file);
  }

  @Test
  void partWhenFieldThenItsValueAndNoFilename() {
    Multipart.Part part = Multipart.part(body(new byte[0]), BOUNDARY, "purpose").orElseThrow();

    assertThat(new String(part.content(), StandardCharsets.UTF_8)).isEqualTo("assistants");
    assertThat(part.filename()).isEmpty();
  }

  @Test
  void partWhenMissingOrNoBoundaryThenEmpty() {
    assertThat(Multipart.part(body(new byte[] {1}), BOUNDARY, "nope")).isEmpty();
    assertThat(Multipart.part(body(new byte[] {1}), "", "file")).isEmpty();
    assertThat(
            Multipart.part("not multipart".getBytes(StandardCharsets.US_ASCII), BOUNDARY, "file"))
        .isEmpty();
  }

  @Test
  void sha256WhenEmptyThenTheKnownDigest() {
    assertThat(Multipart.sha256(new byte[0]))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }
}
