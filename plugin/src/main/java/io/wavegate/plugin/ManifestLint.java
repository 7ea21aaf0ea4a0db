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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code kubectl wavegate lint}: each ContentRollout and ContentMetricTemplate in the files, checked against
 * its CRD (the same files the chart installs, in the plugin's jar); the rollouts then by {@link LintRules}, and
 * both by {@link TemplateChecks} where the files hold the templates the rollouts reference. Offline: no
 * cluster is asked.
 */
final class ManifestLint {

  static final String ROLLOUTS = "ContentRollout";
  static final String TEMPLATES = "ContentMetricTemplate";
  static final List<String> CRDS = List.of("/crds/contentrollouts.wavegate.io-v1.yml",
      "/crds/contentmetrictemplates.wavegate.io-v1.yml");

  /** What the files held: one line per finding, and the counts. */
  record Report(List<String> lines, int rollouts, int templates, int errors, int warnings, boolean unreadable) {

    String summary() {
      return rollouts + " ContentRollout(s)" + (templates == 0 ? "" : ", " + templates + " ContentMetricTemplate(s)")
          + ": " + errors + " error(s), " + warnings + " warning(s)" + (unreadable ? "; a file could not be read" : "");
    }
  }

  /** One object of a file, named for the findings as {@code file: name}. */
  private record Document(String name, Map<String, Object> object) {

    String kind() {
      return String.valueOf(object.get("kind"));
    }

    Map<String, Object> spec() {
      return map(object.get("spec"));
    }
  }

  private ManifestLint() {}

  static Report check(List<File> files) {
    Map<String, Map<String, CrdSchema>> schemas = schemas();
    List<String> lines = new ArrayList<>();
    List<Document> documents = new ArrayList<>();
    boolean unreadable = false;
    for (File file : expand(files)) {
      try {
        documents.addAll(read(file));
      } catch (IOException | RuntimeException e) {
        lines.add(file + ": cannot be read: " + e.getMessage().lines().findFirst().orElse(""));
        unreadable = true;
      }
    }
    Map<String, Map<String, Object>> templates = new LinkedHashMap<>();
    documents.stream().filter(d -> d.kind().equals(TEMPLATES))
        .forEach(d -> templates.put(String.valueOf(map(d.object().get("metadata")).get("name")), d.spec()));
    int rollouts = 0;
    int errors = 0;
    int warnings = 0;
    for (Document document : documents) {
      if (!schemas.containsKey(document.kind())) {
        continue;
      }
      rollouts += document.kind().equals(ROLLOUTS) ? 1 : 0;
      String apiVersion = String.valueOf(document.object().get("apiVersion"));
      CrdSchema schema = schemas.get(document.kind()).get(apiVersion);
      if (schema == null) {
        lines.add(document.name() + ": error: apiVersion: " + apiVersion + " is not served (" + String.join(", ",
            schemas.get(document.kind()).keySet()) + ")");
        errors++;
        continue;
      }
      List<CrdSchema.Violation> invalid = new ArrayList<>(schema.checkSpec(document.object()));
      // what the operator would stall on, and what a reviewer would question, are asked of a manifest the
      // API server accepts
      List<CrdSchema.Violation> questions = List.of();
      if (invalid.isEmpty() && document.kind().equals(ROLLOUTS)) {
        invalid.addAll(TemplateChecks.references(document.spec(), templates));
        questions = LintRules.warnings(document.spec());
      } else if (invalid.isEmpty()) {
        invalid.addAll(TemplateChecks.template(document.spec()));
      }
      for (CrdSchema.Violation v : invalid) {
        lines.add(document.name() + ": error: " + v.path() + ": " + v.message());
        errors++;
      }
      for (CrdSchema.Violation v : questions) {
        lines.add(document.name() + ": warning: " + v.path() + ": " + v.message());
        warnings++;
      }
    }
    return new Report(lines, rollouts, templates.size(), errors, warnings, unreadable);
  }

  private static List<Document> read(File file) throws IOException {
    List<Document> documents = new ArrayList<>();
    try (var values = new ObjectMapper(new YAMLFactory()).readerFor(Map.class).<Map<String, Object>>readValues(file)) {
      while (values.hasNext()) {
        Map<String, Object> object = values.next();
        if (object != null) {
          documents.add(new Document(file + ": " + map(object.get("metadata")).getOrDefault("name", "(no name)"),
              object));
        }
      }
    }
    return documents;
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

  /** The schema of each served version, by kind and apiVersion, from the CRDs in the plugin's jar. */
  static Map<String, Map<String, CrdSchema>> schemas() {
    Map<String, Map<String, CrdSchema>> byKind = new LinkedHashMap<>();
    for (String resource : CRDS) {
      try (InputStream in = ManifestLint.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("the plugin's jar lacks " + resource);
        }
        Map<String, Object> spec = map(map(new ObjectMapper(new YAMLFactory()).readValue(in, Map.class)).get("spec"));
        String group = String.valueOf(spec.get("group"));
        Map<String, CrdSchema> schemas = new LinkedHashMap<>();
        for (Object version : list(spec.get("versions"))) {
          Map<String, Object> v = map(version);
          if (Boolean.TRUE.equals(v.get("served"))) {
            schemas.put(group + "/" + v.get("name"), new CrdSchema(map(map(v.get("schema")).get("openAPIV3Schema"))));
          }
        }
        byKind.put(String.valueOf(map(spec.get("names")).get("kind")), schemas);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return byKind;
  }
}
