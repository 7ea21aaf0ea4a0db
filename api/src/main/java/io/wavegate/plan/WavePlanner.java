package io.wavegate.plan;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits the fleet into waves. Pure: the same nodes, rules and channel always give the same plan.
 *
 * <ul>
 *   <li>A node belongs to the first wave whose pools (or nodeSelector) admit it; later waves never
 *       take nodes of earlier ones.
 *   <li>A node already assigned to a wave for this revision stays there (sticky), even if its labels
 *       change.
 *   <li>maxNodes caps a wave; the nodes picked are those with the lowest stable hash of channel and
 *       node name, so the choice survives restarts and does not change when unrelated nodes come
 *       and go. Nodes a cap leaves out stay candidates for later waves.
 * </ul>
 */
public final class WavePlanner {

  private WavePlanner() {}

  public static WavePlan plan(String channel, String poolLabel, List<WaveRule> waves, List<PlanNode> fleet) {
    Map<String, Integer> waveIndexByName = new HashMap<>();
    for (int i = 0; i < waves.size(); i++) {
      waveIndexByName.put(waves.get(i).name(), i);
    }
    Map<String, Integer> waveOf = new HashMap<>();
    List<List<String>> members = new ArrayList<>();
    for (int i = 0; i < waves.size(); i++) {
      members.add(new ArrayList<>());
    }
    for (PlanNode node : fleet) {
      node.assignedWave().map(waveIndexByName::get).ifPresent(wave -> {
        waveOf.put(node.name(), wave);
        members.get(wave).add(node.name());
      });
    }
    for (int wave = 0; wave < waves.size(); wave++) {
      WaveRule rule = waves.get(wave);
      List<PlanNode> candidates = fleet.stream()
          .filter(n -> !waveOf.containsKey(n.name()) && rule.admits(n.labels(), poolLabel))
          .toList();
      List<String> waveMembers = members.get(wave);
      int room = Math.max(0, rule.maxNodes().pickOf(waveMembers.size() + candidates.size()) - waveMembers.size());
      if (room < candidates.size()) {
        // only a cap that leaves nodes out needs the stable order: hashing every node costs milliseconds at 5,000
        candidates = byStableHash(channel, candidates).subList(0, room);
      }
      for (PlanNode candidate : candidates) {
        waveOf.put(candidate.name(), wave);
        waveMembers.add(candidate.name());
      }
      waveMembers.sort(Comparator.naturalOrder());
    }
    List<String> unplanned = fleet.stream().map(PlanNode::name).filter(n -> !waveOf.containsKey(n)).sorted().toList();
    return new WavePlan(members.stream().map(List::copyOf).toList(), unplanned, Map.copyOf(waveOf));
  }

  private static List<PlanNode> byStableHash(String channel, List<PlanNode> nodes) {
    MessageDigest sha256 = sha256();
    Map<String, Long> hash = new HashMap<>();
    nodes.forEach(n -> hash.put(n.name(), stableHash(sha256, channel, n.name())));
    return nodes.stream().sorted(Comparator.comparingLong((PlanNode n) -> hash.get(n.name()))
        .thenComparing(PlanNode::name)).toList();
  }

  private static long stableHash(MessageDigest sha256, String channel, String node) {
    return ByteBuffer.wrap(sha256.digest((channel + "/" + node).getBytes(StandardCharsets.UTF_8))).getLong();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
