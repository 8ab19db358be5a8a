package dev.openwif.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class DemoStackIT {
  @Test
  void closeWhenStackRanThenServersStopAndTheTemporaryDatabaseIsDeleted() throws Exception {
    Path dir;
    String health;
    try (DemoStack stack = DemoStack.start(new SecureRandom())) {
      dir = stack.dir();
      assertThat(dir.resolve("openwif-demo.db")).exists();
      assertThat(Files.readString(stack.cluster().tokenFile())).startsWith("eyJ");
      assertThat(stack.metadata().issuer()).isEqualTo(stack.metadata().baseUrl());
      assertThat(stack.cluster().issuer()).isEqualTo(stack.cluster().baseUrl());
      health = stack.server().baseUrl() + "/healthz";
      HttpResponse<String> ok =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(health)).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(ok.statusCode()).isEqualTo(200);
    }

    assertThat(dir).doesNotExist();
    assertThat(canConnect(health)).as("server stopped").isFalse();
  }

  private static boolean canConnect(String url) throws InterruptedException {
    try {
      HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create(url)).build(),
              HttpResponse.BodyHandlers.discarding());
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
