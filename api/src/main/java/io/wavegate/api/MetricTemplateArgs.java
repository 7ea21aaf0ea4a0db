package io.wavegate.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A metric template's arguments, as the operator resolves them and {@code kubectl wavegate lint} checks
 * them (pure): the values a reference gives over the template's defaults, and the query with them filled in.
 */
public final class MetricTemplateArgs {

  /** {@code {{name}}} or {@code {{args.name}}}, spaces allowed inside the braces. */
  private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([\\w.-]+)\\s*}}");
  private static final String ARGUMENT = "args.";

  private MetricTemplateArgs() {}

  /** The values by name, or why there are none: an argument left out that has no default, or one not declared. */
  public record Values(Map<String, String> values, String problem) {

    public boolean resolved() {
      return problem == null;
    }
  }

  /**
   * @param template the template's name, for the messages
   * @param declared the template's args (a value is a default); null for none
   * @param given the reference's args; null for none
   */
  public static Values resolve(String template, List<MetricArg> declared, List<MetricArg> given) {
    String named = "ContentMetricTemplate " + template;
    Map<String, String> values = new LinkedHashMap<>();
    if (declared != null) {
      declared.forEach(a -> values.put(a.getName(), a.getValue()));
    }
    List<String> unknown = given == null ? List.of()
        : given.stream().map(MetricArg::getName).filter(name -> !values.containsKey(name)).toList();
    if (!unknown.isEmpty()) {
      return new Values(Map.of(), "templateRef.args gives " + String.join(", ", unknown) + ", which " + named
          + " does not declare" + (values.isEmpty() ? " (it has no arguments)"
          : " (it declares " + String.join(", ", values.keySet()) + ")"));
    }
    if (given != null) {
      given.forEach(a -> values.put(a.getName(), a.getValue()));
    }
    List<String> missing = values.entrySet().stream().filter(e -> e.getValue() == null).map(Map.Entry::getKey).toList();
    if (!missing.isEmpty()) {
      return new Values(Map.of(), named + " needs argument" + (missing.size() == 1 ? " " : "s ")
          + String.join(", ", missing) + ": give " + (missing.size() == 1 ? "it" : "them") + " in templateRef.args");
    }
    return new Values(values, null);
  }

  /**
   * The query with each {@code {{args.NAME}}} replaced by its argument's value; the rollout's variables
   * ({@code {{nodes}}}, …) are left as they are. A value cannot hold a brace (the CRD refuses it), so it
   * never brings in a variable of its own.
   *
   * @throws IllegalArgumentException naming an argument the query uses that is not among the values
   */
  public static String fill(String query, Map<String, String> values) {
    Matcher matcher = VARIABLE.matcher(query);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String variable = matcher.group(1);
      String replacement = matcher.group(0);
      if (variable.startsWith(ARGUMENT)) {
        replacement = values.get(variable.substring(ARGUMENT.length()));
        if (replacement == null) {
          throw new IllegalArgumentException("the query uses {{" + variable + "}}, an argument that is not declared"
              + (values.isEmpty() ? "" : " (declared: " + String.join(", ", new TreeSet<>(values.keySet())) + ")"));
        }
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(out);
    return out.toString();
  }
}
