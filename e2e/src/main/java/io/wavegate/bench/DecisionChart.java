package io.wavegate.bench;

import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The decision benchmark's figures as an SVG chart, log-log: the decision's p50 against the fleet's size, one
 * line per rollout count, with a dashed line of slope one (linear growth) through the first point for
 * reference. Self-contained, no script, no external asset: docs embed it as an image.
 */
final class DecisionChart {

  private static final int WIDTH = 640;
  private static final int HEIGHT = 400;
  private static final int LEFT = 70;
  private static final int RIGHT = 150;
  private static final int TOP = 30;
  private static final int BOTTOM = 50;
  private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};

  private DecisionChart() {}

  static String svg(List<DecisionBenchmark.Row> rows) {
    double minX = rows.stream().mapToDouble(DecisionBenchmark.Row::nodes).min().orElse(1);
    double maxX = rows.stream().mapToDouble(DecisionBenchmark.Row::nodes).max().orElse(10);
    double minY = rows.stream().mapToDouble(DecisionBenchmark.Row::wallP50Ms).min().orElse(0.01);
    double maxY = rows.stream().mapToDouble(DecisionBenchmark.Row::wallP50Ms).max().orElse(1);
    double x0 = Math.floor(Math.log10(minX));
    double x1 = Math.ceil(Math.log10(maxX));
    double y0 = Math.floor(Math.log10(minY));
    double y1 = Math.ceil(Math.log10(maxY));
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
        + " font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT));
    svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"14\">One decision after a node's report (kept fleet + decide), p50,"
        + " against the fleet's size (log-log)</text>%n", LEFT));
    for (double e = x0; e <= x1; e++) {
      double x = px(e, x0, x1);
      svg.append(line(x, TOP, x, HEIGHT - BOTTOM, "#ddd", false));
      svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%,d</text>%n", x,
          HEIGHT - BOTTOM + 16, (long) Math.pow(10, e)));
    }
    for (double e = y0; e <= y1; e++) {
      double y = py(e, y0, y1);
      svg.append(line(LEFT, y, WIDTH - RIGHT, y, "#ddd", false));
      svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s ms</text>%n", LEFT - 6,
          y + 4, trim(Math.pow(10, e))));
    }
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">nodes</text>%n",
        (LEFT + WIDTH - RIGHT) / 2, HEIGHT - 12));
    TreeSet<Integer> counts = new TreeSet<>();
    rows.forEach(r -> counts.add(r.rollouts()));
    int series = 0;
    for (int count : counts) {
      String colour = COLOURS[series % COLOURS.length];
      List<DecisionBenchmark.Row> line = rows.stream().filter(r -> r.rollouts() == count)
          .sorted(java.util.Comparator.comparingInt(DecisionBenchmark.Row::nodes)).toList();
      StringBuilder points = new StringBuilder();
      for (DecisionBenchmark.Row row : line) {
        double x = px(Math.log10(row.nodes()), x0, x1);
        double y = py(Math.log10(row.wallP50Ms()), y0, y1);
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", x, y, colour));
      }
      svg.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n",
          points.toString().trim(), colour));
      if (!line.isEmpty()) {
        DecisionBenchmark.Row first = line.get(0);
        DecisionBenchmark.Row last = line.get(line.size() - 1);
        double linearY = first.wallP50Ms() * last.nodes() / first.nodes();
        svg.append(line(px(Math.log10(first.nodes()), x0, x1), py(Math.log10(first.wallP50Ms()), y0, y1),
            px(Math.log10(last.nodes()), x0, x1), py(Math.log10(linearY), y0, y1), colour, true));
      }
      int legendY = TOP + 20 + series * 20;
      svg.append(line(WIDTH - RIGHT + 15, legendY, WIDTH - RIGHT + 40, legendY, colour, false));
      svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%d rollout%s</text>%n", WIDTH - RIGHT + 46,
          legendY + 4, count, count == 1 ? "" : "s"));
      series++;
    }
    int noteY = TOP + 30 + series * 20;
    svg.append(line(WIDTH - RIGHT + 15, noteY, WIDTH - RIGHT + 40, noteY, "#555", true));
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">linear</text>%n", WIDTH - RIGHT + 46, noteY + 4));
    svg.append("</svg>\n");
    return svg.toString();
  }

  private static double px(double logValue, double x0, double x1) {
    return LEFT + (logValue - x0) / (x1 - x0) * (WIDTH - LEFT - RIGHT);
  }

  private static double py(double logValue, double y0, double y1) {
    return HEIGHT - BOTTOM - (logValue - y0) / (y1 - y0) * (HEIGHT - TOP - BOTTOM);
  }

  private static String line(double x1, double y1, double x2, double y2, String colour, boolean dashed) {
    return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"%s/>%n", x1,
        y1, x2, y2, colour, dashed ? " stroke-dasharray=\"4 3\"" : "");
  }

  private static String trim(double value) {
    return value >= 1 ? String.valueOf((long) value) : String.valueOf(value);
  }
}
