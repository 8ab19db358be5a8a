package dev.openwif.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The claims the guide shows for each scenario, as checks over a decoded payload: what a reader
 * compares before configuring a provider ({@code iss}, {@code aud}, {@code sub}, {@code email}).
 * Thread-safe.
 */
final class GuideClaims {
  private static final Pattern GOOGLE_SUB = Pattern.compile("[0-9]{21}");

  private GuideClaims() {}

  /** A Google metadata identity token: issuer, audience, 21-digit {@code sub}, verified email. */
  static Consumer<ObjectNode> google(DemoConsole console, String issuer, String sub, String email) {
    return claims -> {
      expect(console, claims, "iss", issuer);
      expect(console, claims, "aud", DemoStack.AUDIENCE);
      expect(console, claims, "sub", sub);
      expect(console, claims, "email", email);
      console.check(
          GOOGLE_SUB.matcher(claims.path("sub").asText()).matches(), "sub should be 21 digits");
      console.check(
          claims.path("email_verified").asBoolean(false), "email_verified should be true");
      console.check(
          claims.path("exp").asLong() - claims.path("iat").asLong() == 3600,
          "exp should be iat + 3600");
      console.ok("iss, aud, sub and email are what provider and mapping expect");
    };
  }

  /**
   * A projected GKE token: issuer, {@code aud} array, {@code sub} and the {@code kubernetes.io}
   * claims.
   */
  static Consumer<ObjectNode> gke(DemoConsole console, String issuer) {
    return claims -> {
      expect(console, claims, "iss", issuer);
      expect(console, claims, "sub", GuideSetup.GKE_SUBJECT);
      JsonNode aud = claims.path("aud");
      console.check(
          aud.isArray() && aud.size() == 1 && DemoStack.AUDIENCE.equals(aud.path(0).asText()),
          "aud should be the array [\"" + DemoStack.AUDIENCE + "\"], it is " + aud);
      JsonNode k8s = claims.path("kubernetes.io");
      console.check(
          "default".equals(k8s.path("namespace").asText())
              && "openai-wif".equals(k8s.path("serviceaccount").path("name").asText()),
          "kubernetes.io should name namespace default and service account openai-wif, it is "
              + k8s);
      console.ok("iss, aud and sub are what provider and mapping expect");
    };
  }

  private static void expect(DemoConsole console, ObjectNode claims, String name, String expected) {
    String actual = claims.path(name).asText(null);
    console.check(
        Objects.equals(expected, actual),
        name + " should be " + expected + ", it is " + (actual == null ? "missing" : actual));
  }
}
