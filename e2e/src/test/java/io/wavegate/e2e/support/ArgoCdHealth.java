package io.wavegate.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.wavegate.api.ContentRollout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * Runs the Argo CD health check that gitops/argocd/argocd-cm-patch.yaml ships, as Argo CD does: the
 * object as the Lua global {@code obj}, the script's returned table as the health.
 */
public final class ArgoCdHealth {

  public static final String KEY = "resource.customizations.health.wavegate.io_ContentRollout";

  public record Health(String status, String message) {}

  private ArgoCdHealth() {}

  public static Health of(ContentRollout rollout) {
    Globals globals = JsePlatform.standardGlobals();
    globals.set("obj", lua(Serialization.jsonMapper().valueToTree(rollout)));
    LuaValue health = globals.load(script(), "health.lua").call();
    return new Health(health.get("status").tojstring(), health.get("message").optjstring(""));
  }

  static String script() {
    try {
      String yaml = Files.readString(ApiServer.repoRoot().resolve("gitops/argocd/argocd-cm-patch.yaml"));
      Map<String, String> data = Serialization.unmarshal(yaml, ConfigMap.class).getData();
      return data.get(KEY);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
