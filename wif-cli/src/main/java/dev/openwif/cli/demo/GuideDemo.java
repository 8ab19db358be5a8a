package dev.openwif.cli.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openwif.client.provider.GoogleMetadataTokenProvider;
import dev.openwif.client.provider.TokenFileProvider;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * {@code wif demo}: the Google Cloud guide end to end in one process. Starts the server on a
 * temporary SQLite database and both emulators, configures the guide's providers and mappings
 * through the admin API, runs the Google workload identity and GKE scenarios with the client
 * library, then shows a refused exchange and its audit reason. Every step is checked; the temporary
 * directory is removed at the end. Not thread-safe: one run per instance.
 */
public final class GuideDemo {
  static final String COMPUTE_INPUT = "Say hello from Google Cloud workload identity federation.";
  static final String GKE_INPUT = "Say hello from Google GKE workload identity federation.";
  static final String SUCCESS = "All steps did what the guide says.";

  private final PrintWriter out;
  private final PrintWriter err;
  private final Function<String, ObjectNode> decodeClaims;
  private final Clock clock;
  private final SecureRandom random;
  private final ObjectMapper json = new ObjectMapper();

  /**
   * @param decodeClaims a local JWT decoder returning the payload (it must not verify or send the
   *     token)
   */
  public GuideDemo(
      PrintWriter out,
      PrintWriter err,
      Function<String, ObjectNode> decodeClaims,
      Clock clock,
      SecureRandom random) {
    this.out = Objects.requireNonNull(out, "out");
    this.err = Objects.requireNonNull(err, "err");
    this.decodeClaims = Objects.requireNonNull(decodeClaims, "decodeClaims");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
  }

  /**
   * Runs the demo; returns 0 when every step did what the guide says, 1 otherwise (reason on
   * stderr).
   */
  public int run() {
    long started = System.nanoTime();
    DemoConsole console = new DemoConsole(out, json);
    try (DemoStack stack = DemoStack.start(random)) {
      walkThrough(console, stack);
    } catch (DemoFailure e) {
      err.println("wif: error: demo FAILED: " + e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      err.println("wif: error: demo FAILED: " + e.getMessage());
      return 1;
    } finally {
      out.flush();
      err.flush();
    }
    console.blank();
    out.printf(
        "%s (%.1f s; temporary database removed)%n",
        SUCCESS, Duration.ofNanos(System.nanoTime() - started).toMillis() / 1000.0);
    out.flush();
    return 0;
  }

  private void walkThrough(DemoConsole console, DemoStack stack) {
    out.println("OpenWIF demo: the Google Cloud workload identity guide, on this machine");
    console.line(
        "OpenWIF server    " + stack.server().baseUrl() + "  (dev mode, temporary SQLite)");
    console.line(
        "metadata server   " + stack.metadata().baseUrl() + "  (emulated Compute Engine VM)");
    console.line("GKE cluster       " + stack.cluster().baseUrl() + "  (emulated cluster issuer)");
    console.line(
        "token file        "
            + stack.cluster().tokenFile().getFileName()
            + " in the temporary directory");

    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    AdminClient admin = new AdminClient(stack.server().baseUrl(), stack.adminKey(), http, json);
    GoogleMetadataTokenProvider metadata =
        GoogleMetadataTokenProvider.builder(DemoStack.AUDIENCE)
            .host(stack.metadata().metadataHost())
            .build();

    console.section("1. Set up workload identity federation (admin API)");
    console.step("1.1", "Read the workload's stable claims from a sample metadata token");
    ObjectNode sample = decodeClaims.apply(fetch(metadata));
    String sub = sample.path("sub").asText();
    String email = sample.path("email").asText();
    console.line("sub    " + sub);
    console.line("email  " + email);
    console.check(
        !sub.isEmpty() && !email.isEmpty(), "the metadata token should carry sub and email");
    console.step("1.2", "Create project, service accounts, providers and mappings");
    GuideSetup.Configured configured =
        new GuideSetup(admin, console, json)
            .configure(
                stack.metadata().issuer(),
                Map.of("sub", sub, "email", email),
                stack.cluster().issuer());

    ScenarioRunner runner =
        new ScenarioRunner(console, decodeClaims, stack.server().baseUrl(), http, json);
    runner.run(
        new Scenario(
            "2",
            "Google workload identity",
            "ask the metadata server at "
                + stack.metadata().metadataHost()
                + " (Metadata-Flavor: Google):\n"
                + "GET /computeMetadata/v1/instance/service-accounts/default/identity\n"
                + "    ?audience="
                + DemoStack.AUDIENCE
                + "&format=full",
            metadata,
            configured.compute(),
            COMPUTE_INPUT,
            GuideClaims.google(
                console,
                stack.metadata().issuer(),
                sub,
                stack.metadata().instance().serviceAccountEmail())));
    runner.run(
        new Scenario(
            "3",
            "Google Kubernetes Engine",
            "read the projected token file (kept fresh by the emulated kubelet)",
            TokenFileProvider.of(stack.cluster().tokenFile()),
            configured.gke(),
            GKE_INPUT,
            GuideClaims.gke(console, stack.cluster().issuer())));
    new RefusedExchange(console, admin, decodeClaims, stack.server().baseUrl())
        .run("4", stack, configured.gke(), clock);
  }

  private static String fetch(GoogleMetadataTokenProvider metadata) {
    try {
      return metadata.getToken();
    } catch (IOException e) {
      throw new DemoFailure("the metadata server gave no identity token: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DemoFailure("interrupted while asking the metadata server", e);
    }
  }
}
