package io.wavegate.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.wavegate.api.ContentRollout;
import io.wavegate.api.HistoryStatus;
import io.wavegate.api.RolloutPhase;
import io.wavegate.contract.SnapshotFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** What undo decides, without a cluster: the revision it goes back to, how, and each refusal. */
class UndoTest {

  static final String V1 = "1".repeat(64);
  static final String V2 = "2".repeat(64);
  static final String V3 = "3".repeat(64);
  static final Function<String, Optional<HasMetadata>> SNAPSHOTS = revision -> Optional.of(snapshot(revision));

  @Test
  void goesBackToTheNewestRevisionThatSucceededThroughTheWavesFromItsSnapshot() {
    Undo.Outcome outcome = Undo.plan(rollout(V3, RolloutPhase.Succeeded, V3, List.of()), null, false, false, SNAPSHOTS);

    assertThat(outcome).isInstanceOf(Undo.Patch.class);
    Map<String, Object> patch = patchOf(outcome);
    assertThat(Serialization.asJson(patch)).contains("\"sha256\":\"" + V2 + "\"")
        .contains("\"configMapRef\":{\"namespace\":\"wavegate-snapshots\",\"name\":\""
            + SnapshotFormat.name("sensor", V2) + "\",\"key\":\"content\"}")
        .contains("\"fileName\":\"C-00000291.sys\"").contains("\"signature\":null").doesNotContain("retry");
    assertThat(((Undo.Patch) outcome).said()).contains("222222222222 goes out again through the waves");
  }

  @Test
  void aRevisionThatFailedBeforeNeedsForceWhichAlsoRetriesIt() {
    ContentRollout rollout = rollout(V3, RolloutPhase.RolledBack, V2, List.of(V1));

    assertThat(Undo.plan(rollout, V1.substring(0, 12), false, false, SNAPSHOTS)).isEqualTo(new Undo.Refused(
        "revision 111111111111 failed before (RolledBack: PodsCrashing); --force rolls it out again (and retries it)"));
    assertThat(Serialization.asJson(patchOf(Undo.plan(rollout, V1.substring(0, 12), true, false, SNAPSHOTS))))
        .contains("\"wavegate.io/retry\":\"true\"").contains("\"sha256\":\"" + V1 + "\"");
  }

  @Test
  void refusesWhatItCannotDoAndSaysWhy() {
    ContentRollout settled = rollout(V3, RolloutPhase.Succeeded, V3, List.of());
    assertThat(why(Undo.plan(settled, "abcdefabcdef", false, false, SNAPSHOTS))).startsWith("no revision abcdefabcdef in"
        + " the history of sensor");
    assertThat(why(Undo.plan(settled, "12", false, false, SNAPSHOTS))).startsWith("--to-revision takes the sha256");
    assertThat(why(Undo.plan(settled, V3.substring(0, 12), false, false, SNAPSHOTS)))
        .isEqualTo("333333333333 is the revision sensor rolls out now");
    assertThat(why(Undo.plan(settled, null, false, false, revision -> Optional.empty())))
        .contains("is gone: the operator keeps the last few revisions' snapshots only");
    assertThat(why(Undo.plan(settled, null, false, true, SNAPSHOTS))).contains("cannot be revoked");
  }

  @Test
  void fastRevokesTheRevisionInFlight() {
    Undo.Outcome outcome = Undo.plan(rollout(V3, RolloutPhase.Progressing, V2, List.of()), null, false, true, SNAPSHOTS);

    assertThat(((Undo.Patch) outcome).patch()).contains("wavegate.io/abort");
    assertThat(((Undo.Patch) outcome).said()).contains("every node goes back to 222222222222 at once");
  }

  private static ContentRollout rollout(String current, RolloutPhase phase, String stable, List<String> failed) {
    ContentRollout rollout = Serialization.unmarshal("""
        apiVersion: wavegate.io/v1alpha1
        kind: ContentRollout
        metadata: {name: sensor}
        spec:
          content:
            sha256: %s
            source: {configMapRef: {namespace: sources, name: channel-v3, key: C-00000291.sys}}
          strategy: {waves: [{name: canary, pools: [canary]}]}
        """.formatted(current), ContentRollout.class);
    rollout.setStatus(new io.wavegate.api.ContentRolloutStatus());
    rollout.getStatus().setPhase(phase);
    rollout.getStatus().setStableDigest(stable);
    rollout.getStatus().setFailedRevisions(failed);
    rollout.getStatus().setHistory(List.of(history(V1, "RolledBack", "PodsCrashing"), history(V2, "Succeeded", null),
        history(V3, phase == RolloutPhase.Succeeded ? "Succeeded" : "RolledBack", null)));
    return rollout;
  }

  private static HistoryStatus history(String revision, String outcome, String reason) {
    HistoryStatus h = new HistoryStatus();
    h.setRevision(revision);
    h.setOutcome(outcome);
    h.setReason(reason);
    return h;
  }

  private static HasMetadata snapshot(String revision) {
    return new ConfigMapBuilder().withMetadata(new ObjectMetaBuilder().withNamespace("wavegate-snapshots")
        .withName(SnapshotFormat.name("sensor", revision)).addToAnnotations(SnapshotFormat.SHA256_ANNOTATION, revision)
        .addToAnnotations(SnapshotFormat.FILE_NAME_ANNOTATION, "C-00000291.sys").build()).build();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> patchOf(Undo.Outcome outcome) {
    return Serialization.unmarshal(((Undo.Patch) outcome).patch(), Map.class);
  }

  private static String why(Undo.Outcome outcome) {
    return ((Undo.Refused) outcome).why();
  }
}
