package dev.openwif.attribute;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.Program;
import dev.openwif.federation.AttributeTransformation;
import dev.openwif.federation.TransformationCompiler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A provider's attribute transformations, compiled once. Each is a CEL expression over the variable
 * {@code assertion} ({@code map(string, dyn)}: the subject token's claims, nested objects as maps)
 * with CEL's standard macros ({@code has}, {@code all}, {@code exists}, {@code map}, {@code
 * filter}) and string extensions ({@code split}, {@code lowerAscii}, {@code replace}, {@code
 * substring}, ...); its result becomes the attribute {@code openai.<attribute>}.
 *
 * <p>Results may be a string, a boolean, a number (returned as {@link java.math.BigDecimal}, so it
 * compares by value with a matcher's number) or a list of strings; anything else (maps, null,
 * bytes, timestamps) fails the evaluation. An expression that is exactly {@code assertion.<name>}
 * or {@code assertion["name"]} is evaluated as a map lookup without running CEL (same result, same
 * errors). Comprehensions are bounded ({@value #MAX_ITERATIONS} iterations) so no expression can
 * loop long.
 *
 * <p>Immutable and thread-safe: compiled programs are shared by concurrent exchanges.
 */
public final class CompiledTransformations {
  /** The prefix every produced attribute carries. */
  public static final String ATTRIBUTE_PREFIX = "openai.";

  static final int MAX_ITERATIONS = 1000;
  private static final String VARIABLE = "assertion";
  private static final Pattern DOT_LOOKUP =
      Pattern.compile("\\s*assertion\\.([A-Za-z_][A-Za-z0-9_]*)\\s*");
  private static final Pattern INDEX_LOOKUP =
      Pattern.compile("\\s*assertion\\s*\\[\\s*(?:\"([^\"\\\\]*)\"|'([^'\\\\]*)')\\s*\\]\\s*");

  private static final Cel CEL =
      CelFactory.legacyCelBuilder() // what standardCelBuilder() now delegates to
          .setOptions(CelOptions.current().comprehensionMaxIterations(MAX_ITERATIONS).build())
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar(VARIABLE, MapType.create(SimpleType.STRING, SimpleType.DYN))
          .addCompilerLibraries(CelExtensions.strings())
          .addRuntimeLibraries(CelExtensions.strings())
          .build();

  private static final CompiledTransformations NONE = new CompiledTransformations(List.of());

  private final List<Compiled> compiled;

  private CompiledTransformations(List<Compiled> compiled) {
    this.compiled = List.copyOf(compiled);
  }

  /** No transformations: {@link #evaluate} returns an empty map. */
  public static CompiledTransformations none() {
    return NONE;
  }

  /**
   * Compiles every transformation (parse and type-check against {@code assertion}).
   *
   * @throws InvalidTransformationException for the first one that does not compile, with CEL's
   *     error and its {@code line:column}
   */
  public static CompiledTransformations compile(List<AttributeTransformation> transformations)
      throws InvalidTransformationException {
    if (transformations.isEmpty()) {
      return NONE;
    }
    List<Compiled> out = new ArrayList<>(transformations.size());
    for (int i = 0; i < transformations.size(); i++) {
      AttributeTransformation t = transformations.get(i);
      out.add(compileOne(i, t));
    }
    return new CompiledTransformations(out);
  }

  /**
   * The first transformation that does not compile, for write-time validation ({@link
   * dev.openwif.federation.TransformationCompiler}); empty when all compile.
   */
  public static Optional<TransformationCompiler.Failure> firstError(
      List<AttributeTransformation> transformations) {
    try {
      compile(transformations);
      return Optional.empty();
    } catch (InvalidTransformationException e) {
      return Optional.of(new TransformationCompiler.Failure(e.index(), e.detail()));
    }
  }

  private static Compiled compileOne(int index, AttributeTransformation t)
      throws InvalidTransformationException {
    try {
      CelAbstractSyntaxTree ast = CEL.compile(t.expression()).getAst();
      Program program = CEL.createProgram(ast);
      return new Compiled(t.attribute(), program, plainLookup(t.expression()));
    } catch (CelValidationException e) {
      throw new InvalidTransformationException(index, t.attribute(), celMessage(e));
    } catch (CelEvaluationException e) {
      throw new InvalidTransformationException(
          index, t.attribute(), Objects.requireNonNullElse(e.getMessage(), "cannot be evaluated"));
    }
  }

  /**
   * CEL's message, e.g. {@code ERROR: <input>:1:11: undeclared reference to 'x'} (1-based
   * line:column).
   */
  private static String celMessage(CelValidationException e) {
    String message = Objects.requireNonNullElse(e.getMessage(), "invalid expression");
    int start = message.indexOf("ERROR:");
    return (start >= 0 ? message.substring(start) : message).strip();
  }

  private static Optional<String> plainLookup(String expression) {
    Matcher dot = DOT_LOOKUP.matcher(expression);
    if (dot.matches()) {
      return Optional.of(dot.group(1));
    }
    Matcher index = INDEX_LOOKUP.matcher(expression);
    if (index.matches()) {
      return Optional.of(index.group(1) != null ? index.group(1) : index.group(2));
    }
    return Optional.empty();
  }

  /** How many transformations there are. */
  public int size() {
    return compiled.size();
  }

  /**
   * Evaluates every transformation over {@code claims}.
   *
   * @return {@code openai.<attribute>} to its value, in the provider's order
   * @throws TransformationFailedException when any one fails or yields a value of a type not
   *     allowed
   */
  public Map<String, Object> evaluate(Map<String, ?> claims) throws TransformationFailedException {
    if (compiled.isEmpty()) {
      return Map.of();
    }
    Map<String, Object> assertion = ClaimValues.toCel(claims);
    Map<String, Object> variables = Map.of(VARIABLE, assertion);
    Map<String, Object> attributes = new LinkedHashMap<>();
    for (Compiled c : compiled) {
      Object result = c.run(assertion, variables);
      Object value =
          ClaimValues.fromCel(result)
              .orElseThrow(
                  () ->
                      new TransformationFailedException(
                          "attribute '"
                              + c.attribute
                              + "': result of type "
                              + ClaimValues.typeName(result)
                              + " is not a string, boolean, number or list of strings"));
      attributes.put(ATTRIBUTE_PREFIX + c.attribute, value);
    }
    return Collections.unmodifiableMap(attributes);
  }

  private record Compiled(String attribute, Program program, Optional<String> lookup) {
    Object run(Map<String, Object> assertion, Map<String, Object> variables)
        throws TransformationFailedException {
      if (lookup.isPresent()) {
        if (!assertion.containsKey(lookup.get())) {
          throw new TransformationFailedException(
              "attribute '" + attribute + "': key '" + lookup.get() + "' is not present in map.");
        }
        return assertion.get(lookup.get());
      }
      try {
        return program.eval(variables);
      } catch (CelEvaluationException e) {
        throw new TransformationFailedException("attribute '" + attribute + "': " + e.getMessage());
      } catch (RuntimeException e) {
        throw new TransformationFailedException(
            "attribute '" + attribute + "': evaluation error " + e.getClass().getSimpleName());
      }
    }
  }
}
