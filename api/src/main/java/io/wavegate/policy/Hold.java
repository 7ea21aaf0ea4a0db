package io.wavegate.policy;

import java.time.Instant;
import java.util.Optional;

/**
 * One node held back from a new revision by one policy.
 *
 * @param until when this hold lifts, when the policy can tell (empty: until the policy or the rollout changes)
 */
public record Hold(String policy, HoldReason reason, String message, Optional<Instant> until) {}
