package io.wavegate.analysis;

import java.util.Collection;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A metric gate's PromQL template with its variables filled in. Pure. Node sets become regex
 * alternations to put inside a double-quoted label matcher ({@code node=~"{{nodes}}"}): each
 * name's regex metacharacters are escaped, then escaped again for the PromQL string. An empty set
 * becomes a pattern no label value matches, never an empty one (which would match series that
 * have no node label at all).
 */
public final class QueryTemplate {

  /** Matches no value: a label value cannot hold a character before its start. */
  static final String MATCHES_NOTHING = "a^";
  private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([\\w.-]+)\\s*}}");

  private QueryTemplate() {}

  /** The variables a template may use; any other is an error naming it. */
  public record Variables(Collection<String> nodes, Collection<String> waveNodes, String channel, String revision,
      String wave) {

    Map<String, String> values() {
      return Map.of("nodes", alternation(nodes), "waveNodes", alternation(waveNodes), "channel", channel,
          "revision", revision, "shortRevision", revision.substring(0, Math.min(12, revision.length())), "wave", wave);
    }
  }

  public static String render(String template, Variables variables) {
    Map<String, String> values = variables.values();
    Matcher matcher = VARIABLE.matcher(template);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String value = values.get(matcher.group(1));
      if (value == null) {
        throw new IllegalArgumentException("unknown variable {{" + matcher.group(1) + "}} in the query; known: "
            + String.join(", ", new java.util.TreeSet<>(values.keySet())));
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  /** {@code a|b\\.c}: node names are DNS names, so {@code .} is their one regex metacharacter; quoted for PromQL. */
  static String alternation(Collection<String> nodes) {
    if (nodes.isEmpty()) {
      return MATCHES_NOTHING;
    }
    return nodes.stream().sorted().map(QueryTemplate::escape).collect(Collectors.joining("|"));
  }

  private static String escape(String name) {
    StringBuilder out = new StringBuilder(name.length() + 4);
    for (char c : name.toCharArray()) {
      if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) {
        out.append("\\\\"); // a regex backslash, written as \\ inside the PromQL string
      } else if (c == '"') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }
}
