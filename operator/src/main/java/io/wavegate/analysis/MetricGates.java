package io.wavegate.analysis;

import io.wavegate.health.Breach;
import io.wavegate.health.Signal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The metric gates of the wave in flight, over the measurements taken so far. Pure: it folds new
 * readings into the records status keeps, says which breach they show, and which gates are due.
 */
public final class MetricGates {

  private MetricGates() {}

  /**
   * One record per gate defined, in their order, with the readings of this revision folded in once
   * (a reading no newer than its record was counted already). A gate promoted past no data no longer
   * halts on no data: its inconclusive readings count as ignored.
   */
  public static List<MetricRecord> fold(List<MetricDef> defs, List<MetricRecord> records, List<MetricReading> readings,
      String revision) {
    Map<String, MetricRecord> byName = new LinkedHashMap<>();
    records.forEach(r -> byName.put(r.name(), r));
    List<MetricRecord> folded = new ArrayList<>();
    for (MetricDef def : defs) {
      MetricRecord record = byName.getOrDefault(def.name(), MetricRecord.first(def.name()));
      List<MetricReading> mine = readings.stream()
          .filter(r -> r.metric().equals(def.name()) && r.revision().equals(revision))
          .sorted(Comparator.comparing(MetricReading::at)).toList();
      for (MetricReading reading : mine) {
        if (record.at() == null || reading.at().isAfter(record.at())) {
          record = record.with(accepted(record, reading));
        }
      }
      folded.add(record);
    }
    // a gate of an earlier wave keeps its record: its counts belong to the revision
    records.stream().filter(r -> defs.stream().noneMatch(d -> d.name().equals(r.name()))).forEach(folded::add);
    return folded;
  }

  private static MetricReading accepted(MetricRecord record, MetricReading reading) {
    if (record.noDataAccepted() && reading.verdict().outcome() == MetricJudge.Outcome.Inconclusive) {
      return new MetricReading(reading.metric(), reading.revision(), reading.at(), new MetricJudge.Verdict(
          MetricJudge.Outcome.Ignored, null, reading.verdict().reason() + "; accepted by promote"), reading.nodes(),
          reading.template());
    }
    return reading;
  }

  /** The first breach the records of the wave's gates show, naming the metric, the value, the limit and the nodes. */
  public static Optional<Breach> breach(List<MetricDef> defs, List<MetricRecord> records, List<String> nodes) {
    for (MetricDef def : defs) {
      Optional<MetricRecord> found = records.stream().filter(r -> r.name().equals(def.name())).findFirst();
      if (found.isEmpty()) {
        continue;
      }
      MetricRecord record = found.get();
      String over = " over " + nodes.size() + " updated node" + (nodes.size() == 1 ? "" : "s")
          + (nodes.isEmpty() ? "" : " (" + Breach.listed(nodes) + ")");
      if (record.failures() > def.failureLimit()) {
        return Optional.of(new Breach(Signal.MetricThreshold, record.failures(), def.failureLimit(), nodes,
            "metric " + def.name() + ": " + record.message() + over + "; " + record.failures() + " failed measurement"
                + (record.failures() == 1 ? "" : "s") + ", failureLimit " + def.failureLimit()));
      }
      if (record.consecutiveErrors() > def.consecutiveErrorLimit()) {
        return Optional.of(new Breach(Signal.MetricProviderError, record.consecutiveErrors(),
            def.consecutiveErrorLimit(), List.of(), "metric " + def.name() + ": " + record.consecutiveErrors()
                + " provider errors in a row, consecutiveErrorLimit " + def.consecutiveErrorLimit() + ": "
                + record.message()));
      }
      if (record.outcome() == MetricJudge.Outcome.Inconclusive && !record.noDataAccepted()) {
        return Optional.of(new Breach(Signal.MetricInconclusive, 1, 0, nodes, "metric " + def.name() + ": "
            + record.message() + over + "; annotate wavegate.io/promote to go on (no data then no longer halts this"
            + " revision) or wavegate.io/abort to roll back"));
      }
    }
    return Optional.empty();
  }

  /** After a person promoted past an inconclusive halt: no data no longer halts this revision. */
  public static List<MetricRecord> acceptNoData(List<MetricRecord> records) {
    return records.stream().map(r -> r.outcome() == MetricJudge.Outcome.Inconclusive ? r.acceptingNoData() : r)
        .toList();
  }

  /** The gates due for a measurement now, and when the next one falls due. */
  public record Due(List<MetricDef> now, Optional<Instant> next) {}

  public static Due due(List<MetricDef> defs, List<MetricRecord> records, Instant now) {
    List<MetricDef> dueNow = new ArrayList<>();
    Optional<Instant> next = Optional.empty();
    for (MetricDef def : defs) {
      Instant last = records.stream().filter(r -> r.name().equals(def.name())).findFirst()
          .map(MetricRecord::at).orElse(null);
      Instant at = last == null ? now : last.plus(def.interval());
      if (!at.isAfter(now)) {
        dueNow.add(def);
        at = now.plus(def.interval());
      }
      Instant candidate = at;
      next = next.map(n -> n.isBefore(candidate) ? n : candidate).or(() -> Optional.of(candidate));
    }
    return new Due(List.copyOf(dueNow), next);
  }
}
