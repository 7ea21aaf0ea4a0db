package io.wavegate.plugin;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.wavegate.api.ContentRollout;
import io.wavegate.api.ContentRolloutStatus;
import io.wavegate.contract.Digests;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the dashboard's page is sent, as JSON: the rollouts' list, and one rollout in full (its status as the
 * API has it, and the fleet map). Pure. The page puts every string in as text, never as markup: node
 * names, messages and labels come from the cluster and are attacker-controlled input.
 */
final class DashboardJson {

  private DashboardJson() {}

  static Map<String, Object> list(List<ContentRollout> rollouts) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (ContentRollout r : rollouts) {
      ContentRolloutStatus s = r.getStatus() == null ? new ContentRolloutStatus() : r.getStatus();
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("name", r.getMetadata().getName());
      row.put("phase", s.getPhase() == null ? null : s.getPhase().name());
      row.put("wave", s.getCurrentWaveName());
      row.put("nodes", s.getNodes());
      row.put("revision", s.getRevision());
      row.put("message", s.getMessage());
      rows.add(row);
    }
    return Map.of("rollouts", rows);
  }

  /** One rollout: what status says, and its fleet map (cells as [node, state index, detail]). */
  static Map<String, Object> detail(ContentRollout rollout, List<FleetMap.Group> groups) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("name", rollout.getMetadata().getName());
    detail.put("paused", Boolean.TRUE.equals(rollout.getSpec().getPaused()));
    detail.put("revision", Digests.shortRevision(rollout.getSpec().getContent().getSha256()));
    detail.put("status", rollout.getStatus() == null ? Map.of() : rollout.getStatus());
    List<Map<String, Object>> mapGroups = new ArrayList<>();
    for (FleetMap.Group group : groups) {
      Map<String, Object> g = new LinkedHashMap<>();
      g.put("wave", group.wave());
      g.put("pool", group.pool());
      g.put("cells", group.cells().stream().map(c -> List.of(c.node(), c.state().ordinal(), c.detail())).toList());
      mapGroups.add(g);
    }
    detail.put("map", Map.of("states", Arrays.stream(FleetMap.CellState.values()).map(Enum::name).toList(),
        "groups", mapGroups));
    return detail;
  }

  static String json(Object value) {
    return Serialization.asJson(value);
  }
}
