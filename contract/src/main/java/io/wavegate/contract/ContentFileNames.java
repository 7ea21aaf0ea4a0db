package io.wavegate.contract;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which names a content file may have on a node. A channel's directory holds the content file and
 * the agent's own directory {@value #AGENT_DIR}; no content name starts with '.', so none can be (or
 * reach into) the agent's bookkeeping, whatever a publisher writes. The CRD, the operator's spec check
 * and the agent apply this one rule. Pure.
 */
public final class ContentFileNames {

  /** The agent's bookkeeping in each channel directory: which file is current, its state, the previous file. */
  public static final String AGENT_DIR = ".wavegate";
  public static final int MAX_LENGTH = 253;
  /** The same rule as a regular expression, for the CRD's CEL and for third-party agents. */
  public static final String PATTERN = "^[A-Za-z0-9_-][A-Za-z0-9._-]*$";
  public static final String RULE = "a plain file name of letters, digits, '.', '_' and '-' that does not start with"
      + " '.' (names starting with '.' are the node agent's own), without any directory";

  private static final Pattern VALID = Pattern.compile(PATTERN);

  private ContentFileNames() {}

  public static Optional<String> problem(String name) {
    if (name == null || name.isEmpty()) {
      return Optional.of("the content file name is empty; it must be " + RULE);
    }
    if (name.length() > MAX_LENGTH || !VALID.matcher(name).matches()) {
      return Optional.of("the content file name '" + (name.length() > 64 ? name.substring(0, 64) + "..." : name)
          + "' is not " + RULE);
    }
    return Optional.empty();
  }
}
