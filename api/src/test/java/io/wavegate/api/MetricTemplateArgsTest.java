package io.wavegate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MetricTemplateArgsTest {

  static final List<MetricArg> DECLARED = List.of(new MetricArg("job", null), new MetricArg("window", "10m"));

  static Stream<Arguments> references() {
    return Stream.of(
        Arguments.of("a default, and a value given", List.of(new MetricArg("job", "node")),
            Map.of("job", "node", "window", "10m"), null),
        Arguments.of("a given value over a default", List.of(new MetricArg("job", "node"), new MetricArg("window", "2m")),
            Map.of("job", "node", "window", "2m"), null),
        Arguments.of("an argument without a default left out", null, Map.of(),
            "ContentMetricTemplate reboots needs argument job: give it in templateRef.args"),
        Arguments.of("an argument the template does not declare",
            List.of(new MetricArg("job", "node"), new MetricArg("jbo", "x")), Map.of(),
            "templateRef.args gives jbo, which ContentMetricTemplate reboots does not declare (it declares job, window)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("references")
  void resolves(String name, List<MetricArg> given, Map<String, String> values, String problem) {
    MetricTemplateArgs.Values resolved = MetricTemplateArgs.resolve("reboots", DECLARED, given);
    assertThat(resolved.values()).isEqualTo(values);
    assertThat(resolved.problem()).isEqualTo(problem);
  }

  @Test
  void fillsTheArgumentsAndLeavesTheRolloutsVariables() {
    assertThat(MetricTemplateArgs.fill(
        "sum(up{job=\"{{args.job}}\", {{ args.node-label }}=~\"{{nodes}}\"}[{{args.window}}])",
        Map.of("job", "node", "node-label", "instance", "window", "5m")))
        .isEqualTo("sum(up{job=\"node\", instance=~\"{{nodes}}\"}[5m])");
  }

  @Test
  void anArgumentTheQueryUsesButNobodyDeclaredIsNamed() {
    assertThatThrownBy(() -> MetricTemplateArgs.fill("up{job=\"{{args.jbo}}\"}", Map.of("job", "node")))
        .hasMessage("the query uses {{args.jbo}}, an argument that is not declared (declared: job)");
  }
}
