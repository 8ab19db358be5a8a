package dev.openwif.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard from the packaged runnable jar ({@code java -jar wif.jar serve}): its templates
 * were compiled at build time, so the jar holds their classes and the JTE runtime but no template
 * compiler, and the pages render, behind sign-in.
 */
class DashboardJarIT {
  @Test
  void jarWhenBuiltThenHoldsPrecompiledTemplatesAndNoTemplateCompiler() throws Exception {
    try (JarFile jar = new JarFile(ServeCommandIT.JAR)) {
      assertThat(
              jar.getEntry("dev/openwif/server/dashboard/templates/JteproviderFormGenerated.class"))
          .isNotNull();
      assertThat(jar.getEntry("gg/jte/html/OwaspHtmlTemplateOutput.class")).isNotNull();
      assertThat(jar.stream().map(e -> e.getName()).filter(n -> n.startsWith("gg/jte/compiler/")))
          .isEmpty();
      assertThat(jar.getEntry("dev/openwif/server/dashboard/static/dashboard.css")).isNotNull();
    }
  }

  @Test
  void serveWhenRunFromTheJarThenDashboardSignsInAndRendersProviders(@TempDir Path dir)
      throws Exception {
    String key = "dashboard-jar-key-0123456789abcdef";
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                ServeCommandIT.JAR,
                "serve",
                "--port",
                "0",
                "--db",
                dir.resolve("wif.db").toString())
            .redirectError(dir.resolve("stderr.txt").toFile());
    builder.environment().put(ServeCommand.BOOTSTRAP_ENV, key);
    Process process = builder.start();
    try {
      String url = listeningUrl(process);
      HttpClient http =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(5))
              .followRedirects(HttpClient.Redirect.NEVER)
              .build();
      HttpResponse<String> signInPage =
          http.send(
              HttpRequest.newBuilder(URI.create(url + "/dashboard"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(signInPage.statusCode()).isEqualTo(303);
      HttpResponse<String> signIn =
          http.send(
              HttpRequest.newBuilder(URI.create(url + "/dashboard/sign-in"))
                  .timeout(Duration.ofSeconds(10))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "admin_key=" + URLEncoder.encode(key, StandardCharsets.UTF_8)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(signIn.statusCode()).isEqualTo(303);
      String cookie = signIn.headers().firstValue("Set-Cookie").orElseThrow();
      HttpResponse<String> providers =
          http.send(
              HttpRequest.newBuilder(URI.create(url + "/dashboard/providers"))
                  .timeout(Duration.ofSeconds(10))
                  .header("Cookie", cookie.substring(0, cookie.indexOf(';')))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(providers.statusCode()).isEqualTo(200);
      assertThat(providers.body())
          .contains("<title>Workload Identity Providers · OpenWIF dashboard</title>");
    } finally {
      process.destroy();
      assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }
  }

  private static String listeningUrl(Process process) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    return CompletableFuture.supplyAsync(
            () -> {
              try {
                for (String line; (line = out.readLine()) != null; ) {
                  if (line.startsWith("OpenWIF listening on ")) {
                    return line.substring("OpenWIF listening on ".length()).strip();
                  }
                }
              } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
              }
              throw new IllegalStateException("the server stopped before listening");
            })
        .get(60, TimeUnit.SECONDS);
  }
}
