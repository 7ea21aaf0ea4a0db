package io.wavegate.plugin;

import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A CRD's OpenAPI schema and its CEL rules ({@code x-kubernetes-validations}), evaluated here as the API server
 * evaluates them on a create: types, required fields, enums, patterns, bounds, unknown fields (kubectl's
 * strict field validation refuses them), int-or-string, and each rule with {@code self} bound to the value
 * it sits on. Pure but for the rules' compiled programs, kept per rule.
 */
final class CrdSchema {

  /** One thing wrong with an object, at a path as kubectl spells it ({@code spec.strategy.waves[0].name}). */
  record Violation(String path, String message) {}

  private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
      .setStandardMacros(CelStandardMacro.STANDARD_MACROS).addVar("self", SimpleType.DYN).build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

  private final Map<String, Object> root;
  private final Map<String, CelRuntime.Program> programs = new ConcurrentHashMap<>();

  /** @param root the version's {@code schema.openAPIV3Schema} */
  CrdSchema(Map<String, Object> root) {
    this.root = root;
  }

  /** Everything wrong with the object's {@code spec} (the part a person writes). */
  List<Violation> checkSpec(Map<String, Object> object) {
    List<Violation> found = new ArrayList<>();
    Map<String, Object> properties = map(root.get("properties"));
    Object spec = object.get("spec");
    if (spec == null) {
      found.add(new Violation("spec", "Required value"));
    } else {
      check(map(properties.get("spec")), spec, "spec", found);
    }
    return found;
  }

  private void check(Map<String, Object> schema, Object value, String path, List<Violation> found) {
    if (value == null) {
      if (!Boolean.TRUE.equals(schema.get("nullable"))) {
        found.add(new Violation(path, "must not be null"));
      }
      return;
    }
    if (!typeMatches(schema, value)) {
      found.add(new Violation(path, "Invalid value: " + kind(value) + ": " + path + " in body must be of type "
          + (Boolean.TRUE.equals(schema.get("x-kubernetes-int-or-string")) ? "int-or-string" : schema.get("type"))));
      return;
    }
    int before = found.size();
    if (value instanceof Map<?, ?> fields) {
      value = defaulted(schema, map(fields));
      checkObject(schema, map(value), path, found);
    } else if (value instanceof List<?> items) {
      checkArray(schema, items, path, found);
    } else {
      checkScalar(schema, value, path, found);
    }
    // a rule over a value already wrong below would only fail again, less clearly (a field it reads is missing)
    if (found.size() == before) {
      rules(schema, value, path, found);
    }
  }

  /**
   * The object with the schema's defaults filled in where a field is left out, as the API server defaults
   * an object before it validates it (a rule such as {@code self.maxBytes >= self.minBytes} reads them).
   */
  private static Map<String, Object> defaulted(Map<String, Object> schema, Map<String, Object> fields) {
    Map<String, Object> properties = map(schema.get("properties"));
    Map<String, Object> withDefaults = new LinkedHashMap<>(fields);
    properties.forEach((name, property) -> {
      Object fallback = map(property).get("default");
      if (fallback != null && !withDefaults.containsKey(name)) {
        withDefaults.put(name, fallback);
      }
    });
    return withDefaults;
  }

  private void checkObject(Map<String, Object> schema, Map<String, Object> fields, String path, List<Violation> found) {
    Map<String, Object> properties = map(schema.get("properties"));
    for (Object required : list(schema.get("required"))) {
      if (!fields.containsKey(String.valueOf(required))) {
        found.add(new Violation(path + "." + required, "Required value"));
      }
    }
    Object additional = schema.get("additionalProperties");
    boolean keepsUnknown = Boolean.TRUE.equals(schema.get("x-kubernetes-preserve-unknown-fields"));
    for (Map.Entry<String, Object> field : fields.entrySet()) {
      String at = path + "." + field.getKey();
      if (properties.containsKey(field.getKey())) {
        check(map(properties.get(field.getKey())), field.getValue(), at, found);
      } else if (additional instanceof Map<?, ?> valueSchema) {
        check(map(valueSchema), field.getValue(), at, found);
      } else if (!keepsUnknown && !Boolean.TRUE.equals(additional)) {
        found.add(new Violation(at, "unknown field \"" + field.getKey() + "\" (kubectl apply refuses it; the API"
            + " server would drop it)"));
      }
    }
    bound(schema, "maxProperties", fields.size(), path, "must have at most %s properties", found, true);
  }

  private void checkArray(Map<String, Object> schema, List<?> items, String path, List<Violation> found) {
    Map<String, Object> itemSchema = map(schema.get("items"));
    for (int i = 0; i < items.size(); i++) {
      check(itemSchema, items.get(i), path + "[" + i + "]", found);
    }
    bound(schema, "minItems", items.size(), path, "must have at least %s items", found, false);
    bound(schema, "maxItems", items.size(), path, "must have at most %s items", found, true);
  }

  private void checkScalar(Map<String, Object> schema, Object value, String path, List<Violation> found) {
    List<Object> allowed = list(schema.get("enum"));
    if (!allowed.isEmpty() && !allowed.contains(value)) {
      found.add(new Violation(path, "Unsupported value: \"" + value + "\": supported values: " + allowed));
    }
    if (value instanceof String text) {
      if (schema.get("pattern") instanceof String pattern && !Pattern.compile(pattern).matcher(text).find()) {
        found.add(new Violation(path, "Invalid value: \"" + text + "\": should match '" + pattern + "'"));
      }
      bound(schema, "minLength", text.length(), path, "should be at least %s chars long", found, false);
      bound(schema, "maxLength", text.length(), path, "may not be more than %s bytes", found, true);
    } else if (value instanceof Number number) {
      double n = number.doubleValue();
      if (schema.get("minimum") instanceof Number min && n < min.doubleValue()) {
        found.add(new Violation(path, "Invalid value: " + value + ": should be greater than or equal to " + min));
      }
      if (schema.get("maximum") instanceof Number max && n > max.doubleValue()) {
        found.add(new Violation(path, "Invalid value: " + value + ": should be less than or equal to " + max));
      }
    }
  }

  /** Each CEL rule on this schema node, with {@code self} the value; a rule on the old object is left out. */
  private void rules(Map<String, Object> schema, Object value, String path, List<Violation> found) {
    for (Object entry : list(schema.get("x-kubernetes-validations"))) {
      Map<String, Object> validation = map(entry);
      String rule = String.valueOf(validation.get("rule"));
      if (rule.contains("oldSelf")) {
        continue;
      }
      String at = validation.get("fieldPath") instanceof String field ? path + field : path;
      try {
        Object result = programs.computeIfAbsent(rule, this::compile).eval(Map.of("self", cel(value)));
        if (!Boolean.TRUE.equals(result)) {
          found.add(new Violation(at, "Invalid value: " + (validation.get("message") instanceof String message
              ? message : "failed rule: " + rule)));
        }
      } catch (Exception e) {
        found.add(new Violation(at, "Invalid value: the rule " + rule + " cannot be evaluated: " + e.getMessage()));
      }
    }
  }

  private CelRuntime.Program compile(String rule) {
    try {
      return RUNTIME.createProgram(COMPILER.compile(rule).getAst());
    } catch (Exception e) {
      throw new IllegalStateException("the CRD's rule " + rule + " does not compile: " + e.getMessage(), e);
    }
  }

  /** A YAML value as CEL sees it: whole numbers are ints (Long), other numbers doubles. */
  private static Object cel(Object value) {
    if (value instanceof Map<?, ?> fields) {
      Map<String, Object> converted = new LinkedHashMap<>();
      fields.forEach((k, v) -> converted.put(String.valueOf(k), cel(v)));
      return converted;
    }
    if (value instanceof List<?> items) {
      return items.stream().map(CrdSchema::cel).toList();
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      return ((Number) value).longValue();
    }
    if (value instanceof Number number) {
      return number.doubleValue();
    }
    return value;
  }

  private static boolean typeMatches(Map<String, Object> schema, Object value) {
    if (Boolean.TRUE.equals(schema.get("x-kubernetes-int-or-string"))) {
      return value instanceof String || isInteger(value);
    }
    Object type = schema.get("type");
    if (type == null) {
      return true;
    }
    return switch (String.valueOf(type)) {
      case "object" -> value instanceof Map;
      case "array" -> value instanceof List;
      case "string" -> value instanceof String;
      case "integer" -> isInteger(value);
      case "number" -> value instanceof Number;
      case "boolean" -> value instanceof Boolean;
      default -> true;
    };
  }

  private static boolean isInteger(Object value) {
    return value instanceof Integer || value instanceof Long || value instanceof Short
        || value instanceof java.math.BigInteger;
  }

  private static String kind(Object value) {
    return value instanceof Map ? "object" : value instanceof List ? "array" : value instanceof String ? "string"
        : value instanceof Boolean ? "boolean" : isInteger(value) ? "integer" : "number";
  }

  private static void bound(Map<String, Object> schema, String key, int actual, String path, String message,
      List<Violation> found, boolean upper) {
    if (schema.get(key) instanceof Number limit && (upper ? actual > limit.intValue() : actual < limit.intValue())) {
      found.add(new Violation(path, "Invalid value: " + String.format(message, limit)));
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object value) {
    return value instanceof List<?> l ? (List<Object>) l : List.of();
  }
}
