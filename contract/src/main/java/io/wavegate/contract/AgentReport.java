package io.wavegate.contract;

/**
 * What the node agent reports for one channel (annotation {@code agent.wavegate.io/<channel>}).
 *
 * @param revision full sha256 the report is about
 * @param state Applied, or Failed (with a reason such as DigestMismatch, SnapshotMissing, WriteError)
 * @param appliedAt when the revision became the file on disk (Applied only)
 * @param confirmedAt when the node had stayed up with it for the assignment's confirmAfter; null while tentative
 */
public record AgentReport(String revision, String state, String reason, String message, String at,
    String appliedAt, String confirmedAt) {

  public AgentReport(String revision, String state, String reason, String message, String at) {
    this(revision, state, reason, message, at, null, null);
  }

  public static final String APPLIED = "Applied";
  public static final String FAILED = "Failed";

  public boolean applied(String digest) {
    return APPLIED.equals(state) && digest.equals(revision);
  }

  public boolean failed(String digest) {
    return FAILED.equals(state) && digest.equals(revision);
  }

  /**
   * Reasons that are the node's problem, not the content's (its disk refused the write, it could not
   * fetch the snapshot): they count against the wave's unavailable budget, never as content failures.
   */
  /** Reasons the agent reports for content it refused or took back (content failures, never node-local). */
  public static final String UNSIGNED = "Unsigned";
  public static final String BAD_SIGNATURE = "BadSignature";
  public static final String REVERTED_AFTER_REBOOT = "RevertedAfterReboot";
  public static final String HOOK_FAILED = "HookFailed";
  /** The snapshot names a file that is not a content file name (ContentFileNames): never written. */
  public static final String INVALID_FILE_NAME = "InvalidFileName";

  /** The registry holding OCI content did not serve it (down, slow, refusing the node's credentials): tried again. */
  public static final String REGISTRY_UNAVAILABLE = "RegistryUnavailable";

  public static final java.util.Set<String> NODE_LOCAL_REASONS = java.util.Set.of("WriteError", "SnapshotMissing",
      REGISTRY_UNAVAILABLE);

  /** The agent failed on this revision for a node-local reason. */
  public boolean nodeFault(String digest) {
    return failed(digest) && nodeLocal();
  }

  /** Its reason is the node's problem (Set.of refuses to look up a null: a report may carry none). */
  public boolean nodeLocal() {
    return reason != null && NODE_LOCAL_REASONS.contains(reason);
  }
}
