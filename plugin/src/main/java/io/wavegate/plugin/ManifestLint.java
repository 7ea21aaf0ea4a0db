package io.wavegate.plugin;

import static io.wavegate.plugin.CrdSchema.list;
import static io.wavegate.plugin.CrdSchema.map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code kubectl wavegate lint}: each ContentRollout in the files, checked against the CRD the plugin was built
 * with (the same file the chart installs, in the plugin's jar), then by {@link LintRules}. Offline: no cluster
 * is asked.
 */
final class ManifestLint {

  static final String CRD = "/crds/contentrollouts.wavegate.io-v1.yml";

  /** What the files held: one line per finding, and the counts. */
  record Report(List<String> lines, int rollouts, int errors, int warnings, boolean unreadable) {

    String summary() {
      return rollouts + " ContentRollout(s): " + errors + " error(s), " + warnings + " warning(s)"
          + (unreadable ? "; a file could not be read" : "");
    }
  }

  private ManifestLint() {}

  static Report check(List<File> files) {
    Map<String, CrdSchema> schemas = schemas();
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    List<String> lines = new ArrayList<>();
    int rollouts = 0;
    int errors = 0;
    int warnings = 0;
    boolean unreadable = false;
    for (File file : expand(files)) {
      List<Map<String, Object>> documents = new ArrayList<>();
      try (var values = yaml.readerFor(Map.class).<Map<String, Object>>readValues(file)) {
        while (values.hasNext()) {
          Map<String, Object> document = values.next();
          if (document != null) {
            documents.add(document);
          }
        }
      } catch (IOException | RuntimeException e) {
        lines.add(file + ": cannot be read: " + e.getMessage().lines().findFirst().orElse(""));
        unreadable = true;
        continue;
      }
      for (Map<String, Object> document : documents) {
        if (!"ContentRollout".equals(document.get("kind"))) {
          continue;
        }
        rollouts++;
        String name = file + ": " + map(document.get("metadata")).getOrDefault("name", "(no name)");
        String apiVersion = String.valueOf(document.get("apiVersion"));
        CrdSchema schema = schemas.get(apiVersion);
        if (schema == null) {
          lines.add(name + ": error: apiVersion: " + apiVersion + " is not served (" + String.join(", ",
              schemas.keySet()) + ")");
          errors++;
          continue;
        }
        List<CrdSchema.Violation> invalid = schema.checkSpec(document);
        for (CrdSchema.Violation v : invalid) {
          lines.add(name + ": error: " + v.path() + ": " + v.message());
          errors++;
        }
        // what a reviewer would question is asked of a manifest the API server accepts
        for (CrdSchema.Violation v : invalid.isEmpty() ? LintRules.warnings(map(document.get("spec")))
            : List.<CrdSchema.Violation>of()) {
          lines.add(name + ": warning: " + v.path() + ": " + v.message());
          warnings++;
        }
      }
    }
    return new Report(lines, rollouts, errors, warnings, unreadable);
  }

  /** A directory stands for its YAML files, in name order. */
  private static List<File> expand(List<File> files) {
    List<File> expanded = new ArrayList<>();
    for (File file : files) {
      File[] inside = file.isDirectory() ? file.listFiles((dir, name) -> name.endsWith(".yaml")
          || name.endsWith(".yml")) : null;
      if (inside == null) {
        expanded.add(file);
      } else {
        java.util.Arrays.sort(inside);
        expanded.addAll(List.of(inside));
      }
    }
    return expanded;
  }

  /** The schema of each served version, by apiVersion, from the CRD in the plugin's jar. */
  static Map<String, CrdSchema> schemas() {
    try (InputStream in = ManifestLint.class.getResourceAsStream(CRD)) {
      if (in == null) {
        throw new IllegalStateException("the plugin's jar lacks " + CRD);
      }
      Map<String, Object> crd = map(new ObjectMapper(new YAMLFactory()).readValue(in, Map.class));
      Map<String, Object> spec = map(crd.get("spec"));
      String group = String.valueOf(spec.get("group"));
      Map<String, CrdSchema> schemas = new java.util.LinkedHashMap<>();
      for (Object version : list(spec.get("versions"))) {
        Map<String, Object> v = map(version);
        if (Boolean.TRUE.equals(v.get("served"))) {
          schemas.put(group + "/" + v.get("name"), new CrdSchema(map(map(v.get("schema")).get("openAPIV3Schema"))));
        }
      }
      return schemas;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
