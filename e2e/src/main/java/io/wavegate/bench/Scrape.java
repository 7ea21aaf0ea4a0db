package io.wavegate.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One scrape of a /metrics endpoint in the Prometheus text format, read as Prometheus reads it:
 * samples by name, each with its labels. Only what the benchmark needs: values, no types or help.
 */
record Scrape(List<Sample> samples) {

  record Sample(String name, Map<String, String> labels, double value) {}

  static Scrape parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = brace < 0 ? line.indexOf(' ') : line.indexOf(' ', line.lastIndexOf('}'));
      String name = line.substring(0, brace < 0 ? space : brace);
      Map<String, String> labels = brace < 0 ? Map.of() : labels(line.substring(brace + 1, line.lastIndexOf('}')));
      String[] rest = line.substring(space + 1).trim().split(" ");
      samples.add(new Sample(name, labels, number(rest[0])));
    }
    return new Scrape(List.copyOf(samples));
  }

  /** A value as the text format writes it: Go's float syntax, +Inf and -Inf among them. */
  private static double number(String text) {
    return switch (text) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(text);
    };
  }

  private static Map<String, String> labels(String text) {
    Map<String, String> labels = new LinkedHashMap<>();
    int at = 0;
    while (at < text.length()) {
      int equals = text.indexOf('=', at);
      int open = text.indexOf('"', equals);
      StringBuilder value = new StringBuilder();
      int i = open + 1;
      for (; text.charAt(i) != '"'; i++) {
        if (text.charAt(i) == '\\') {
          i++;
        }
        value.append(text.charAt(i));
      }
      labels.put(text.substring(at, equals).trim(), value.toString());
      at = i + 1;
      while (at < text.length() && (text.charAt(at) == ',' || text.charAt(at) == ' ')) {
        at++;
      }
    }
    return labels;
  }

  /** The sum of the samples named {@code name} whose labels match; 0 when there are none. */
  double sum(String name, Predicate<Map<String, String>> labels) {
    return samples.stream().filter(s -> s.name().equals(name) && labels.test(s.labels()))
        .mapToDouble(Sample::value).sum();
  }

  double sum(String name) {
    return sum(name, labels -> true);
  }

  /** The highest of the samples named {@code name} whose labels match, or 0. */
  double max(String name, Predicate<Map<String, String>> labels) {
    return samples.stream().filter(s -> s.name().equals(name) && labels.test(s.labels()))
        .mapToDouble(Sample::value).max().orElse(0);
  }

  /**
   * The {@code q} quantile of the histogram {@code name} (its cumulative {@code _bucket} samples), as
   * PromQL's histogram_quantile reckons it: linear within the bucket the rank falls in.
   */
  double histogramQuantile(String name, double q, Predicate<Map<String, String>> labels) {
    List<double[]> buckets = samples.stream()
        .filter(s -> s.name().equals(name + "_bucket") && labels.test(s.labels()))
        .map(s -> new double[] {number(s.labels().get("le")), s.value()})
        .sorted((a, b) -> Double.compare(a[0], b[0])).toList();
    if (buckets.isEmpty() || buckets.get(buckets.size() - 1)[1] == 0) {
      return Double.NaN;
    }
    double rank = q * buckets.get(buckets.size() - 1)[1];
    double lowerBound = 0;
    double lowerCount = 0;
    for (double[] bucket : buckets) {
      if (bucket[1] >= rank) {
        if (Double.isInfinite(bucket[0])) {
          return lowerBound;
        }
        return lowerBound + (bucket[0] - lowerBound) * (rank - lowerCount) / (bucket[1] - lowerCount);
      }
      lowerBound = bucket[0];
      lowerCount = bucket[1];
    }
    return lowerBound;
  }

  static Predicate<Map<String, String>> label(String key, String value) {
    return labels -> value.equals(labels.get(key));
  }
}
