package io.wavegate.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.wavegate.api.ContentRollout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * Runs the Lua that gitops/argocd/argocd-cm-patch.yaml ships for ContentRollouts, as Argo CD does:
 * the object as the Lua global {@code obj}; the health check's table as the health, the actions'
 * discovery as the actions offered, and an action's returned object as the object Argo CD applies.
 */
public final class ArgoCd {

  public static final String KEY = "resource.customizations.health.wavegate.io_ContentRollout";
  public static final String ACTIONS_KEY = "resource.customizations.actions.wavegate.io_ContentRollout";

  public record Health(String status, String message) {}

  private ArgoCd() {}

  public static Health health(ContentRollout rollout) {
    LuaValue health = run(data().get(KEY), rollout);
    return new Health(health.get("status").tojstring(), health.get("message").optjstring(""));
  }

  /** The actions discovery offers for the object, and whether each is enabled. */
  public static Map<String, Boolean> actions(ContentRollout rollout) {
    LuaValue actions = run(actionsConfig().get("discovery.lua").toString(), rollout);
    Map<String, Boolean> offered = new java.util.TreeMap<>();
    for (LuaValue key : ((LuaTable) actions).keys()) {
      offered.put(key.tojstring(), !actions.get(key).get("disabled").optboolean(false));
    }
    return offered;
  }

  /** The object as Argo CD would apply it after running the action. */
  @SuppressWarnings("unchecked")
  public static ContentRollout act(String action, ContentRollout rollout) {
    List<Map<String, Object>> definitions = (List<Map<String, Object>>) actionsConfig().get("definitions");
    String script = definitions.stream().filter(d -> action.equals(d.get("name"))).findFirst()
        .map(d -> d.get("action.lua").toString()).orElseThrow(() -> new IllegalArgumentException("no action " + action));
    return Serialization.jsonMapper().convertValue(json(run(script, rollout)), ContentRollout.class);
  }

  private static LuaValue run(String script, ContentRollout rollout) {
    Globals globals = JsePlatform.standardGlobals();
    globals.set("obj", lua(Serialization.jsonMapper().valueToTree(rollout)));
    return globals.load(script, "argocd.lua").call();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> actionsConfig() {
    return Serialization.unmarshal(data().get(ACTIONS_KEY), Map.class);
  }

  private static Map<String, String> data() {
    try {
      String yaml = Files.readString(ApiServer.repoRoot().resolve("gitops/argocd/argocd-cm-patch.yaml"));
      return Serialization.unmarshal(yaml, ConfigMap.class).getData();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A Lua table back to JSON: keys 1..n make an array; an empty table (a Lua `{}` or `[]`) is left out. */
  private static Object json(LuaValue value) {
    if (value.istable()) {
      LuaTable table = (LuaTable) value;
      int length = table.length();
      if (length > 0) {
        List<Object> array = new java.util.ArrayList<>();
        for (int i = 1; i <= length; i++) {
          array.add(json(table.get(i)));
        }
        return array;
      }
      if (table.keys().length == 0) {
        return null;
      }
      Map<String, Object> object = new java.util.LinkedHashMap<>();
      for (LuaValue key : table.keys()) {
        object.put(key.tojstring(), json(table.get(key)));
      }
      return object;
    }
    if (value.isboolean()) {
      return value.toboolean();
    }
    if (value.isnumber()) {
      double d = value.todouble();
      return d == Math.rint(d) ? (Object) (long) d : (Object) d;
    }
    return value.isnil() ? null : value.tojstring();
  }

  private static LuaValue lua(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return LuaValue.NIL;
    }
    if (node.isObject()) {
      LuaTable table = new LuaTable();
      node.fields().forEachRemaining(field -> table.set(field.getKey(), lua(field.getValue())));
      return table;
    }
    if (node.isArray()) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < node.size(); i++) {
        table.set(i + 1, lua(node.get(i)));
      }
      return table;
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.booleanValue());
    }
    if (node.isNumber()) {
      return LuaValue.valueOf(node.doubleValue());
    }
    return LuaValue.valueOf(node.asText());
  }
}
