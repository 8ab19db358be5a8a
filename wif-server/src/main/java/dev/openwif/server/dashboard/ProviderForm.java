package dev.openwif.server.dashboard;

import dev.openwif.federation.AttributeTransformation;
import dev.openwif.federation.Verification;
import dev.openwif.federation.WorkloadIdentityProvider;
import dev.openwif.federation.admin.ProviderDraft;
import dev.openwif.federation.admin.ProviderPatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The provider form as the browser sent it or as a stored provider fills it: the guide's fields
 * (name, description, issuer URL, audience, verification by OIDC discovery or an uploaded JWKS,
 * attribute transformation rows whose attribute is shown after a fixed {@code openai.}), plus
 * errors keyed by field. Turns into the core's {@link ProviderDraft}/{@link ProviderPatch}, whose
 * validation then speaks. Immutable.
 */
public record ProviderForm(
    String name,
    String description,
    String issuer,
    String audience,
    String verification,
    String discoveryUrl,
    String jwks,
    List<Row> transformations,
    boolean enabled,
    boolean replayProtection,
    FieldErrors errors) {

  /** One attribute transformation row: the attribute after {@code openai.}, its CEL expression. */
  public record Row(String attribute, String expression) {}

  public static final String DISCOVERY = "discovery";
  public static final String UPLOADED_JWKS = "uploaded_jwks";

  public ProviderForm {
    transformations = List.copyOf(transformations);
  }

  /** An empty form for a new provider, with one empty transformation row. */
  public static ProviderForm blank() {
    return new ProviderForm(
        "", "", "", "", DISCOVERY, "", "", List.of(new Row("", "")), true, false, FieldErrors.NONE);
  }

  /** The form filled from a stored provider (to edit it). */
  public static ProviderForm of(WorkloadIdentityProvider p) {
    String verification = DISCOVERY;
    String discoveryUrl = "";
    String jwks = "";
    switch (p.verification()) {
      case Verification.Discovery d -> discoveryUrl = d.discoveryUrl().orElse("");
      case Verification.UploadedJwks u -> {
        verification = UPLOADED_JWKS;
        jwks = u.jwksJson();
      }
    }
    List<Row> rows = new ArrayList<>();
    for (AttributeTransformation t : p.attributeTransformations()) {
      rows.add(new Row(t.attribute(), t.expression()));
    }
    return new ProviderForm(
        p.name(),
        p.description().orElse(""),
        p.issuer(),
        p.audience(),
        verification,
        discoveryUrl,
        jwks,
        rows,
        p.enabled(),
        p.replayProtection(),
        FieldErrors.NONE);
  }

  /** The form as submitted. Rows whose attribute and expression are both blank are dropped. */
  public static ProviderForm of(FormData form) {
    List<String> attributes = form.all("t_attribute");
    List<String> expressions = form.all("t_expression");
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < Math.max(attributes.size(), expressions.size()); i++) {
      String attribute = i < attributes.size() ? attributes.get(i).strip() : "";
      String expression = i < expressions.size() ? expressions.get(i) : "";
      rows.add(new Row(attribute, expression));
    }
    return new ProviderForm(
        form.text("name").strip(),
        form.text("description").strip(),
        form.text("issuer").strip(),
        form.text("audience").strip(),
        form.text("verification").equals(UPLOADED_JWKS) ? UPLOADED_JWKS : DISCOVERY,
        form.text("discovery_url").strip(),
        form.text("jwks").strip(),
        rows,
        form.checked("enabled"),
        form.checked("replay_protection"),
        FieldErrors.NONE);
  }

  /** This form with one more empty transformation row. */
  public ProviderForm withRowAdded() {
    List<Row> rows = new ArrayList<>(transformations);
    rows.add(new Row("", ""));
    return withRows(rows);
  }

  /** This form without the transformation row at {@code index} (ignored when out of range). */
  public ProviderForm withRowRemoved(int index) {
    List<Row> rows = new ArrayList<>(transformations);
    if (index >= 0 && index < rows.size()) {
      rows.remove(index);
    }
    return withRows(rows);
  }

  private ProviderForm withRows(List<Row> rows) {
    return new ProviderForm(
        name,
        description,
        issuer,
        audience,
        verification,
        discoveryUrl,
        jwks,
        rows,
        enabled,
        replayProtection,
        errors);
  }

  /** This form showing {@code errors}. */
  public ProviderForm withErrors(FieldErrors errors) {
    return new ProviderForm(
        name,
        description,
        issuer,
        audience,
        verification,
        discoveryUrl,
        jwks,
        transformations,
        enabled,
        replayProtection,
        errors);
  }

  /** The transformations to save: rows left entirely blank are not sent. */
  List<AttributeTransformation> attributeTransformations() {
    return transformations.stream()
        .filter(r -> !r.attribute().isBlank() || !r.expression().isBlank())
        .map(r -> new AttributeTransformation(r.attribute(), r.expression()))
        .toList();
  }

  Verification toVerification() {
    return verification.equals(UPLOADED_JWKS)
        ? new Verification.UploadedJwks(jwks)
        : new Verification.Discovery(
            discoveryUrl.isEmpty() ? Optional.empty() : Optional.of(discoveryUrl));
  }

  ProviderDraft toDraft() {
    return new ProviderDraft(
        name,
        description.isEmpty() ? Optional.empty() : Optional.of(description),
        issuer,
        audience,
        enabled,
        attributeTransformations(),
        toVerification(),
        replayProtection);
  }

  ProviderPatch toPatch() {
    return new ProviderPatch(
        Optional.of(name),
        Optional.of(description.isEmpty() ? Optional.empty() : Optional.of(description)),
        Optional.of(issuer),
        Optional.of(audience),
        Optional.of(enabled),
        Optional.of(attributeTransformations()),
        Optional.of(toVerification()),
        Optional.of(replayProtection));
  }

  /**
   * The form field an error of the core's validation belongs to: the core's parameter name, with
   * everything about the uploaded JWKS shown beside the JWKS field. Transformation errors keep
   * their row index: blank rows are dropped before saving, so the index is re-based onto the rows
   * shown.
   */
  String fieldOf(String param) {
    if (param.startsWith("verification.jwks")) {
      return "verification.jwks";
    }
    String prefix = "attribute_transformations[";
    if (param.startsWith(prefix)) {
      int close = param.indexOf(']');
      try {
        int saved = Integer.parseInt(param.substring(prefix.length(), close));
        int shown = shownIndex(saved);
        return prefix + shown + param.substring(close);
      } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
        return "attribute_transformations";
      }
    }
    return param;
  }

  private int shownIndex(int saved) {
    int seen = -1;
    for (int i = 0; i < transformations.size(); i++) {
      Row r = transformations.get(i);
      if (!r.attribute().isBlank() || !r.expression().isBlank()) {
        seen++;
        if (seen == saved) {
          return i;
        }
      }
    }
    return saved;
  }

  /**
   * Every field the form sends, as the audit note of a change records them: the keys trusted
   * (discovery URL or the uploaded JWKS) and replay protection included, as the JSON admin API's
   * note (the whole request) does.
   */
  Map<String, Object> auditFields() {
    Map<String, Object> fields = new java.util.LinkedHashMap<>();
    fields.put("name", name);
    fields.put("description", description);
    fields.put("issuer", issuer);
    fields.put("audience", audience);
    fields.put(
        "verification",
        verification.equals(UPLOADED_JWKS)
            ? Map.of("type", verification, "jwks", jwks)
            : Map.of("type", verification, "discovery_url", discoveryUrl));
    fields.put(
        "attribute_transformations",
        attributeTransformations().stream()
            .map(t -> Map.of("attribute", t.attribute(), "expression", t.expression()))
            .toList());
    fields.put("replay_protection", replayProtection);
    fields.put("enabled", enabled);
    return fields;
  }
}
