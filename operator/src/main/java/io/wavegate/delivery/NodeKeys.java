package io.wavegate.delivery;

import io.wavegate.contract.Assignment;
import io.wavegate.contract.AgentReport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Node;
import java.util.Map;
import java.util.Optional;

/**
 * Node contract version 1: the keys on the Node that earlier releases wrote (the operator's
 * {@code wavegate.io/<channel>}, the agent's {@code agent.wavegate.io/<channel>}). Read only, to
 * move a fleet to version 2 ({@link NodeContents}) on upgrade; nothing writes them any more. Also
 * the JSON form of contract values.
 */
public final class NodeKeys {

  public static final String OPERATOR_PREFIX = "wavegate.io/";
  public static final String AGENT_PREFIX = "agent.wavegate.io/";

  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private NodeKeys() {}

  /** Label (short revision) and annotation (JSON {@link Assignment}) the operator writes. */
  public static String desired(String channel) {
    return OPERATOR_PREFIX + channel;
  }

  /** Label (short revision) and annotation (JSON {@link AgentReport}) the agent writes. */
  public static String reported(String channel) {
    return AGENT_PREFIX + channel;
  }

  /** The operator's assignment; one that does not parse (edited by hand, truncated) counts as none and is rewritten. */
  public static Optional<Assignment> assignment(Node node, String channel) {
    return read(annotations(node).get(desired(channel)), Assignment.class).filter(Assignment::wellFormed);
  }

  public static Optional<AgentReport> report(Node node, String channel) {
    return read(annotations(node).get(reported(channel)), AgentReport.class);
  }

  public static String toJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> annotations(Node node) {
    Map<String, String> annotations = node.getMetadata().getAnnotations();
    return annotations == null ? Map.of() : annotations;
  }

  private static <T> Optional<T> read(String json, Class<T> type) {
    if (json == null || json.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(json, type));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }
}
