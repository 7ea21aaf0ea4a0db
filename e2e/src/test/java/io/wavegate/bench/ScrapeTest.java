package io.wavegate.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The benchmark reads the operator's /metrics as Prometheus does. */
class ScrapeTest {

  static final String TEXT = """
      # HELP wavegate_planning_seconds Gathering the fleet
      # TYPE wavegate_planning_seconds histogram
      wavegate_planning_seconds_bucket{rollout="a",le="0.001"} 0
      wavegate_planning_seconds_bucket{rollout="a",le="0.01"} 60
      wavegate_planning_seconds_bucket{rollout="a",le="0.1"} 100
      wavegate_planning_seconds_bucket{rollout="a",le="+Inf"} 100
      wavegate_planning_seconds_bucket{rollout="b",le="0.001"} 10
      wavegate_planning_seconds_bucket{rollout="b",le="+Inf"} 10
      wavegate_planning_seconds_count{rollout="a"} 100
      jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.048576E7
      jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 2.097152E7
      jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 5.0E7
      wavegate_build_info{java_version="17",version="0.1.0, \\"quoted\\""} 1
      process_uptime_seconds 12.5
      """;

  @Test
  void sumsSamplesByNameAndLabels() {
    Scrape scrape = Scrape.parse(TEXT);

    assertThat(scrape.sum("jvm_memory_used_bytes", Scrape.label("area", "heap"))).isEqualTo(3.145728E7);
    assertThat(scrape.sum("process_uptime_seconds")).isEqualTo(12.5);
    assertThat(scrape.sum("wavegate_build_info", Scrape.label("version", "0.1.0, \"quoted\""))).isEqualTo(1);
    assertThat(scrape.sum("absent")).isZero();
  }

  @Test
  void aHistogramQuantileInterpolatesWithinItsBucket() {
    Scrape scrape = Scrape.parse(TEXT);

    // rank 50 of 100 falls in (0.001, 0.01] holding ranks 1..60
    assertThat(scrape.histogramQuantile("wavegate_planning_seconds", 0.5, Scrape.label("rollout", "a")))
        .isCloseTo(0.001 + 0.009 * 50 / 60, within(1e-9));
    // rank 99 falls in (0.01, 0.1] holding ranks 61..100
    assertThat(scrape.histogramQuantile("wavegate_planning_seconds", 0.99, Scrape.label("rollout", "a")))
        .isCloseTo(0.01 + 0.09 * 39 / 40, within(1e-9));
    assertThat(scrape.histogramQuantile("wavegate_planning_seconds", 0.5, Scrape.label("rollout", "b")))
        .isCloseTo(0.0005, within(1e-9));
    assertThat(scrape.histogramQuantile("wavegate_planning_seconds", 0.5, Scrape.label("rollout", "c"))).isNaN();
  }
}
