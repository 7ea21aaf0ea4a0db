package io.wavegate.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class QueryTemplateTest {

  static final QueryTemplate.Variables VARS = new QueryTemplate.Variables(List.of("node-b", "node-a.eu-1"),
      List.of("node-b"), "sensor", "41b4f62c9a12aaaa", "canary");

  @Test
  void fillsEveryVariable() {
    assertThat(QueryTemplate.render("sum(increase(sensor_crashes_total{node=~\"{{nodes}}\",wave=\"{{ wave }}\"}[2m]))"
        + " # {{channel}} {{shortRevision}} {{waveNodes}}", VARS))
        .isEqualTo("sum(increase(sensor_crashes_total{node=~\"node-a\\\\.eu-1|node-b\",wave=\"canary\"}[2m]))"
            + " # sensor 41b4f62c9a12 node-b");
  }

  @Test
  void theAlternationMatchesExactlyTheNodesOnceThePromqlStringIsRead() {
    String inPromql = QueryTemplate.alternation(List.of("node-a.eu-1", "node-b"));
    String regex = inPromql.replace("\\\\", "\\"); // what PromQL's string literal hands the regex engine
    Pattern anchored = Pattern.compile("^(?:" + regex + ")$"); // Prometheus anchors label regexes
    assertThat(anchored.matcher("node-a.eu-1").matches()).isTrue();
    assertThat(anchored.matcher("node-aXeu-1").matches()).as("the dot is escaped").isFalse();
    assertThat(anchored.matcher("node-b").matches()).isTrue();
    assertThat(anchored.matcher("node-c").matches()).isFalse();
  }

  @Test
  void noNodesMatchNothingNotTheSeriesWithoutANodeLabel() {
    String regex = QueryTemplate.alternation(List.of());
    assertThat(Pattern.compile("^(?:" + regex + ")$").matcher("").matches()).isFalse();
  }

  @Test
  void anUnknownVariableIsNamed() {
    assertThatThrownBy(() -> QueryTemplate.render("up{node=~\"{{node}}\"}", VARS))
        .hasMessageContaining("unknown variable {{node}}").hasMessageContaining("nodes");
  }

  @Test
  void argumentsAreFilledInFirstAndTheRolloutsVariablesAfter() {
    String withArgs = io.wavegate.api.MetricTemplateArgs.fill("sum(up{job=\"{{args.job}}\", node=~\"{{nodes}}\"})",
        java.util.Map.of("job", "node"));
    assertThat(QueryTemplate.render(withArgs, VARS)).startsWith("sum(up{job=\"node\", node=~\"").doesNotContain("{{");
  }

  @Test
  void anArgumentLeftUnfilledIsAnUnknownVariableWhenRendered() {
    assertThatThrownBy(() -> QueryTemplate.render("up{job=\"{{args.job}}\"}", VARS))
        .hasMessageContaining("unknown variable {{args.job}}");
  }
}
