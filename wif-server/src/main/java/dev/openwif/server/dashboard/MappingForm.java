package dev.openwif.server.dashboard;

import dev.openwif.federation.FederationRule;
import dev.openwif.federation.Permissions;
import dev.openwif.federation.admin.RuleDraft;
import dev.openwif.federation.admin.RulePatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The service account mapping form (a federation rule): name, description, Key/Value matcher rows,
 * the target service account (an existing one, or one created in place in an existing or new
 * project), permissions (the service account's default, or restricted to ticked scopes), enabled.
 * Errors keyed by field. Immutable.
 */
public record MappingForm(
    String name,
    String description,
    List<Row> matchers,
    String targetMode,
    String targetAccount,
    String newProject,
    String newProjectName,
    String newAccountName,
    String permissions,
    Set<String> scopes,
    boolean enabled,
    FieldErrors errors) {

  /**
   * One Key/Value row. {@code type} is {@code string}, {@code boolean} or {@code number}: matchers
   * compare by JSON type ({@code "true"} never matches {@code true}), so a row keeps the type its
   * stored value had, and a new row is a string unless the admin picks otherwise.
   */
  public record Row(String key, String value, String type) {
    public Row {
      type = TYPES.contains(type) ? type : STRING;
    }

    Row(String key, String value) {
      this(key, value, STRING);
    }
  }

  static final String STRING = "string";
  static final String BOOLEAN = "boolean";
  static final String NUMBER = "number";
  static final List<String> TYPES = List.of(STRING, BOOLEAN, NUMBER);

  private static Row stored(String key, Object value) {
    return switch (value) {
      case Boolean b -> new Row(key, b.toString(), BOOLEAN);
      case java.math.BigDecimal d -> new Row(key, d.toPlainString(), NUMBER);
      case Number n -> new Row(key, n.toString(), NUMBER);
      default -> new Row(key, String.valueOf(value), STRING);
    };
  }

  public static final String EXISTING = "existing";
  public static final String CREATE = "new";
  public static final String NEW_PROJECT = "";
  public static final String DEFAULT = "default";
  public static final String RESTRICTED = "restricted";

  public MappingForm {
    matchers = List.copyOf(matchers);
    scopes = Set.copyOf(scopes);
  }

  /** An empty form with one matcher row. */
  public static MappingForm blank() {
    return new MappingForm(
        "",
        "",
        List.of(new Row("", "")),
        EXISTING,
        "",
        NEW_PROJECT,
        "",
        "",
        DEFAULT,
        Set.of(),
        true,
        FieldErrors.NONE);
  }

  /** The form filled from a stored rule (to edit it). */
  public static MappingForm of(FederationRule r) {
    List<Row> rows = new ArrayList<>();
    r.attributeMatchers().forEach((k, v) -> rows.add(stored(k, v)));
    boolean restricted = r.permissions() instanceof Permissions.Restricted;
    return new MappingForm(
        r.name().orElse(""),
        r.description().orElse(""),
        rows,
        EXISTING,
        target(r.projectId(), r.serviceAccountId()),
        NEW_PROJECT,
        "",
        "",
        restricted ? RESTRICTED : DEFAULT,
        restricted ? r.permissions().grantedScopes() : Set.of(),
        r.enabled(),
        FieldErrors.NONE);
  }

  /** The form as submitted. */
  public static MappingForm of(FormData form) {
    List<String> keys = form.all("m_key");
    List<String> values = form.all("m_value");
    List<String> types = form.all("m_type");
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < Math.max(keys.size(), values.size()); i++) {
      rows.add(
          new Row(
              i < keys.size() ? keys.get(i).strip() : "",
              i < values.size() ? values.get(i).strip() : "",
              i < types.size() ? types.get(i) : STRING));
    }
    return new MappingForm(
        form.text("name").strip(),
        form.text("description").strip(),
        rows,
        form.text("target_mode").equals(CREATE) ? CREATE : EXISTING,
        form.text("target_account"),
        form.text("new_project"),
        form.text("new_project_name").strip(),
        form.text("new_account_name").strip(),
        form.text("permissions").equals(RESTRICTED) ? RESTRICTED : DEFAULT,
        new TreeSet<>(form.all("scope")),
        form.checked("enabled"),
        FieldErrors.NONE);
  }

  /** The value of the target select for this project and service account. */
  public static String target(String projectId, String serviceAccountId) {
    return projectId + "/" + serviceAccountId;
  }

  public MappingForm withRowAdded() {
    List<Row> rows = new ArrayList<>(matchers);
    rows.add(new Row("", ""));
    return withRows(rows);
  }

  public MappingForm withRowRemoved(int index) {
    List<Row> rows = new ArrayList<>(matchers);
    if (index >= 0 && index < rows.size()) {
      rows.remove(index);
    }
    return withRows(rows);
  }

  private MappingForm withRows(List<Row> rows) {
    return new MappingForm(
        name,
        description,
        rows,
        targetMode,
        targetAccount,
        newProject,
        newProjectName,
        newAccountName,
        permissions,
        scopes,
        enabled,
        errors);
  }

  public MappingForm withErrors(FieldErrors errors) {
    return new MappingForm(
        name,
        description,
        matchers,
        targetMode,
        targetAccount,
        newProject,
        newProjectName,
        newAccountName,
        permissions,
        scopes,
        enabled,
        errors);
  }

  /** This form pointing at an existing service account (after creating it in place). */
  public MappingForm withTarget(String projectId, String serviceAccountId) {
    return new MappingForm(
        name,
        description,
        matchers,
        EXISTING,
        target(projectId, serviceAccountId),
        NEW_PROJECT,
        "",
        "",
        permissions,
        scopes,
        enabled,
        errors);
  }

  public boolean scopeChecked(String scope) {
    return scopes.contains(scope);
  }

  /**
   * The matchers to save, rows left blank dropped; a key given twice is refused here, since a map
   * cannot hold it and silently keeping one would change the rule.
   */
  private static Object typed(Row row, int i) {
    return switch (row.type()) {
      case BOOLEAN -> {
        if (!row.value().equals("true") && !row.value().equals("false")) {
          throw new FormException(
              "m_value[" + i + "]", "A boolean value is true or false, in lower case.");
        }
        yield Boolean.valueOf(row.value());
      }
      case NUMBER -> {
        try {
          yield new java.math.BigDecimal(row.value());
        } catch (NumberFormatException e) {
          throw new FormException(
              "m_value[" + i + "]", "A number value is digits, for example 7 or 2.5.");
        }
      }
      default -> row.value();
    };
  }

  Map<String, Object> attributeMatchers() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < matchers.size(); i++) {
      Row row = matchers.get(i);
      if (row.key().isEmpty() && row.value().isEmpty()) {
        continue;
      }
      if (out.put(row.key(), typed(row, i)) != null) {
        throw new FormException(
            "m_key[" + i + "]", "Key '" + row.key() + "' is given twice; give each key once.");
      }
    }
    return out;
  }

  Permissions toPermissions() {
    return permissions.equals(RESTRICTED)
        ? new Permissions.Restricted(scopes)
        : new Permissions.ServiceAccountDefault();
  }

  /** The project id and service account id of an existing target ({@code project/account}). */
  Optional<String[]> existingTarget() {
    int slash = targetAccount.indexOf('/');
    if (slash <= 0 || slash == targetAccount.length() - 1) {
      return Optional.empty();
    }
    return Optional.of(
        new String[] {targetAccount.substring(0, slash), targetAccount.substring(slash + 1)});
  }

  RuleDraft toDraft(String projectId, String serviceAccountId) {
    return new RuleDraft(
        name.isEmpty() ? Optional.empty() : Optional.of(name),
        description.isEmpty() ? Optional.empty() : Optional.of(description),
        enabled,
        attributeMatchers(),
        projectId,
        serviceAccountId,
        toPermissions(),
        false);
  }

  RulePatch toPatch(String projectId, String serviceAccountId) {
    return new RulePatch(
        Optional.of(name.isEmpty() ? Optional.empty() : Optional.of(name)),
        Optional.of(description.isEmpty() ? Optional.empty() : Optional.of(description)),
        Optional.of(enabled),
        Optional.of(attributeMatchers()),
        Optional.of(projectId),
        Optional.of(serviceAccountId),
        Optional.of(toPermissions()),
        Optional.empty());
  }

  /**
   * The form field an error of the core's validation belongs to: {@code attribute_matchers.KEY}
   * goes beside the row with that key.
   */
  String fieldOf(String param) {
    String prefix = "attribute_matchers.";
    if (param.startsWith(prefix)) {
      String key = param.substring(prefix.length());
      for (int i = 0; i < matchers.size(); i++) {
        if (matchers.get(i).key().equals(key)) {
          return "m_value[" + i + "]";
        }
      }
      return "attribute_matchers";
    }
    if (param.equals("project_id") || param.equals("service_account_id")) {
      return targetMode.equals(CREATE) ? "new_account_name" : "target_account";
    }
    if (param.startsWith("permissions")) {
      return "permissions";
    }
    return param;
  }

  Map<String, Object> auditFields(String projectId, String serviceAccountId) {
    return Map.of(
        "name", name,
        "description", description,
        "attribute_matchers", attributeMatchers(),
        "project_id", projectId,
        "service_account_id", serviceAccountId,
        "permissions", permissions,
        "scopes", List.copyOf(scopes),
        "enabled", enabled);
  }
}
