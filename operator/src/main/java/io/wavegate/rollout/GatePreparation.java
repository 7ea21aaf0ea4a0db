package io.wavegate.rollout;

import io.wavegate.delivery.CheckedContent;
import io.wavegate.api.ContentRolloutSpec;
import io.wavegate.api.ValidatorJobSpec;
import java.util.Optional;

/**
 * What the content gate needs written before a decision on its verdict can be carried out, decided
 * from what the observe step read (pure): the snapshot of the checked bytes, which nodes will fetch,
 * and the validator Job that loads them, when the spec asks for one and it is not started yet. The
 * applier writes them first, so no node is ever assigned a revision whose snapshot is not there.
 */
record GatePreparation(Optional<Snapshot> snapshot, Optional<ValidatorJobSpec> startValidator) {

  static final GatePreparation NONE = new GatePreparation(Optional.empty(), Optional.empty());

  /** The checked content to keep as the revision's snapshot (its bytes, or where nodes pull them), named on nodes {@code fileName}. */
  record Snapshot(String digest, CheckedContent content, String fileName, boolean secret) {}

  /**
   * @param checked the content the gate passed, if it ran and passed
   * @param validatorStarted whether the revision's validator Job exists already
   */
  static GatePreparation of(ContentRolloutSpec spec, Optional<CheckedContent> checked, boolean validatorStarted) {
    if (checked.isEmpty()) {
      return NONE;
    }
    boolean secret = spec.getContent().getSource().getSecretRef() != null;
    Snapshot snapshot = new Snapshot(spec.getContent().getSha256(), checked.get(), SpecCheck.fileName(spec), secret);
    ValidatorJobSpec validator = spec.getValidation() == null ? null : spec.getValidation().getValidatorJob();
    return new GatePreparation(Optional.of(snapshot),
        validator == null || validatorStarted ? Optional.empty() : Optional.of(validator));
  }
}
