package dev.openwif.federation.admin;

import dev.openwif.federation.AdminValidationException;
import dev.openwif.federation.AttributeTransformation;
import dev.openwif.federation.TransformationCompiler;
import dev.openwif.federation.Verification;
import dev.openwif.federation.WorkloadIdentityProvider;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The write-time rules for a workload identity provider (fail closed and validate at write time,
 * see SECURITY.md): a name (1..256 characters), an issuer URL ({@link IssuerUrl}), a non-empty
 * audience, at most {@value #MAX_TRANSFORMATIONS} attribute transformations with names {@code
 * [a-z0-9_]{1,64}}, no name twice, expressions of at most {@value #MAX_EXPRESSION_LENGTH}
 * characters that compile, and a verification that is either discovery (optional discovery URL,
 * checked like the issuer) or a valid uploaded JWKS ({@link JwksValidator}). Uniqueness of the name
 * is the use case's job (it needs the store). Immutable, thread-safe.
 */
public final class ProviderValidator {
  public static final int MAX_TRANSFORMATIONS = 20;
  public static final int MAX_EXPRESSION_LENGTH = 4096;
  public static final int MAX_TEXT = 256;
  public static final int MAX_DESCRIPTION = 2048;
  private static final Pattern ATTRIBUTE = Pattern.compile("[a-z0-9_]{1,64}");

  private final boolean dev;
  private final TransformationCompiler compiler;

  /**
   * @param dev allow {@code http://} and loopback issuer and discovery URLs
   * @param compiler compiles expressions (normally {@code CompiledTransformations::firstError})
   */
  public ProviderValidator(boolean dev, TransformationCompiler compiler) {
    this.dev = dev;
    this.compiler = java.util.Objects.requireNonNull(compiler, "compiler");
  }

  public void check(WorkloadIdentityProvider p) {
    checkText("name", p.name(), MAX_TEXT);
    p.description().ifPresent(d -> checkLength("description", d, MAX_DESCRIPTION));
    IssuerUrl.check("issuer", p.issuer(), dev);
    checkText("audience", p.audience(), MAX_TEXT * 8);
    checkTransformations(p.attributeTransformations());
    switch (p.verification()) {
      case Verification.Discovery d ->
          d.discoveryUrl().ifPresent(u -> IssuerUrl.check("verification.discovery_url", u, dev));
      case Verification.UploadedJwks j -> JwksValidator.check(j.jwksJson());
    }
  }

  /** Checks names and sizes, then compiles every expression. */
  public void checkTransformations(List<AttributeTransformation> list) {
    if (list.size() > MAX_TRANSFORMATIONS) {
      throw new AdminValidationException(
          "attribute_transformations",
          "At most " + MAX_TRANSFORMATIONS + " attribute transformations are allowed.");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      AttributeTransformation t = list.get(i);
      String at = "attribute_transformations[" + i + "]";
      if (!ATTRIBUTE.matcher(t.attribute()).matches()) {
        throw new AdminValidationException(
            at + ".attribute", at + ".attribute must match [a-z0-9_]{1,64}.");
      }
      if (!seen.add(t.attribute())) {
        throw new AdminValidationException(
            at + ".attribute", "Attribute '" + t.attribute() + "' is defined twice.");
      }
      if (t.expression().isBlank()) {
        throw new AdminValidationException(
            at + ".expression", at + ".expression must not be empty.");
      }
      checkNoControls(at + ".expression", t.expression(), true);
      if (t.expression().length() > MAX_EXPRESSION_LENGTH) {
        throw new AdminValidationException(
            at + ".expression",
            at + ".expression must be at most " + MAX_EXPRESSION_LENGTH + " characters.");
      }
    }
    compiler
        .firstError(list)
        .ifPresent(
            e -> {
              String at = "attribute_transformations[" + e.index() + "].expression";
              throw new AdminValidationException(at, at + " does not compile: " + e.message());
            });
  }

  /**
   * Refuses a blank text, one longer than {@code max}, or one holding a control character, naming
   * {@code param}.
   *
   * @throws AdminValidationException naming {@code param}
   */
  public static void checkText(String param, String value, int max) {
    if (value.isBlank()) {
      throw new AdminValidationException(param, param + " must not be empty.");
    }
    checkLength(param, value, max);
  }

  static void checkLength(String param, String value, int max) {
    if (value.length() > max) {
      throw new AdminValidationException(param, param + " must be at most " + max + " characters.");
    }
    checkNoControls(param, value, false);
  }

  /**
   * Refuses C0 control characters (U+0000..U+001F): PostgreSQL {@code TEXT} cannot hold U+0000 and
   * the others have no place in names. {@code allowLineBreaks} lets tab, LF and CR through
   * (multi-line expressions).
   */
  static void checkNoControls(String param, String value, boolean allowLineBreaks) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 && !(allowLineBreaks && (c == '\t' || c == '\n' || c == '\r'))) {
        throw new AdminValidationException(
            param,
            param
                + " must not contain control characters (U+"
                + String.format("%04X", (int) c)
                + " found).");
      }
    }
  }
}
