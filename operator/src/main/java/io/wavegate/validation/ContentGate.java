package io.wavegate.validation;

import io.wavegate.contract.ContentBytes;
import com.fasterxml.jackson.core.JsonParser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.SpecVersionDetector;
import com.networknt.schema.ValidationMessage;
import io.wavegate.api.ContentFormat;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The content gate: checks the exact bytes that will ship, streaming them (no size costs heap, but for a
 * JSON Schema check). Pure: content and rules in, a verdict out.
 * Checks run cheapest and most fundamental first; the first failure is the verdict.
 */
public final class ContentGate {

  /**
   * Content whose share of zero bytes is at or above this is refused as zero-filled: a real
   * content file may carry zero padding, but not 99% of it.
   */
  public static final double ZERO_FILLED_RATIO = 0.99;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final int MAX_SCHEMA_MESSAGES = 5;
  /** The largest content checked against a JSON Schema: the schema library needs the document as a tree. */
  public static final long SCHEMA_MAX_BYTES = 16L * 1024 * 1024;

  private ContentGate() {}

  public static Verdict check(GateInput input) {
    if (input.jsonSchema().isPresent() && input.format() == ContentFormat.Raw) {
      return Verdict.reject(RejectReason.CheckNotRunnable, "validation.jsonSchemaRef needs validation.format JSON or"
          + " YAML: Raw content is not parsed, so its schema could not be checked");
    }
    ContentBytes content = input.content();
    ContentFacts facts = input.facts();
    String actual = facts.sha256();
    long size = facts.size();
    if (!actual.equals(input.expectedSha256())) {
      return Verdict.reject(RejectReason.DigestMismatch,
          "sha256 of the content is " + actual + ", spec.content.sha256 expects " + input.expectedSha256());
    }
    if (size < input.minBytes()) {
      return Verdict.reject(RejectReason.TooSmall,
          "content is " + size + " bytes, below validation.minBytes " + input.minBytes());
    }
    if (size > input.maxBytes()) {
      return Verdict.reject(RejectReason.TooLarge,
          "content is " + size + " bytes, above validation.maxBytes " + input.maxBytes());
    }
    if (input.rejectZeroFilled() && size > 0) {
      long zeros = facts.zeros();
      if (zeros >= ZERO_FILLED_RATIO * size) {
        return Verdict.reject(RejectReason.ZeroFilled, zeros == size
            ? "content is " + size + " bytes, all of them zero"
            : String.format("content is %d bytes, %d of them zero (%.1f%%, limit below %.0f%%)",
                size, zeros, 100.0 * zeros / size, 100 * ZERO_FILLED_RATIO));
      }
    }
    Verdict signature = null;
    if (input.signature().signed().isPresent() || input.signature().required()) {
      signature = SignatureVerifier.verify(content, input.signature());
      if (!signature.passed()) {
        return signature;
      }
    }
    if (input.format() != ContentFormat.Raw) {
      if (input.jsonSchema().isPresent() && size > SCHEMA_MAX_BYTES) {
        return Verdict.reject(RejectReason.CheckNotRunnable, "a JSON Schema is checked on content up to "
            + SCHEMA_MAX_BYTES / (1024 * 1024) + " MiB (the document is held in memory to be checked); this content is "
            + size + " bytes: drop validation.jsonSchemaRef or check it in a validatorJob");
      }
      JsonNode parsed = null;
      try (InputStream in = content.open()) {
        if (input.jsonSchema().isPresent()) {
          parsed = parse(in, input.format());
        } else {
          scan(in, input.format());
        }
      } catch (IOException e) {
        return Verdict.reject(RejectReason.ParseError, "content does not parse as " + input.format() + ": "
            + (input.secret() ? "at " + location(e) + " (details withheld: the content comes from a Secret)"
            : firstLine(e.getMessage())));
      }
      if (input.jsonSchema().isPresent()) {
        Verdict schema = checkSchema(parsed, input.jsonSchema().get(), input.secret());
        if (!schema.passed()) {
          return schema;
        }
      }
    }
    List<String> ran = new ArrayList<>();
    ran.add("sha256 " + actual);
    ran.add("size " + size + " bytes within " + input.minBytes() + ".." + input.maxBytes());
    if (input.rejectZeroFilled()) {
      ran.add("not zero-filled");
    }
    if (signature != null) {
      ran.add(signature.message());
    }
    if (input.format() != ContentFormat.Raw) {
      ran.add("parses as " + input.format());
    }
    if (input.jsonSchema().isPresent()) {
      ran.add("matches its JSON Schema");
    }
    return Verdict.pass("checks passed: " + String.join(", ", ran));
  }

  /** The whole document, to check against a schema. */
  private static JsonNode parse(InputStream in, ContentFormat format) throws IOException {
    JsonNode node = (format == ContentFormat.JSON ? JSON : YAML).readTree(in);
    if (node == null || node.isMissingNode()) {
      throw new IOException("no document");
    }
    return node;
  }

  /** That the content parses, token by token, holding none of it. */
  private static void scan(InputStream in, ContentFormat format) throws IOException {
    try (JsonParser parser = (format == ContentFormat.JSON ? JSON : YAML).getFactory().createParser(in)) {
      if (parser.nextToken() == null) {
        throw new IOException("no document");
      }
      while (parser.nextToken() != null) {
        // every token read is a token that parsed
      }
    }
  }

  /** Where a parser stopped, without quoting what it read there. */
  private static String location(IOException e) {
    if (e instanceof com.fasterxml.jackson.core.JsonProcessingException parse && parse.getLocation() != null) {
      return "line " + parse.getLocation().getLineNr() + ", column " + parse.getLocation().getColumnNr();
    }
    return "an unknown position";
  }

  private static Verdict checkSchema(JsonNode document, String schemaText, boolean secret) {
    JsonSchema schema;
    try {
      JsonNode schemaNode = JSON.readTree(schemaText);
      SpecVersion.VersionFlag version = schemaNode.has("$schema")
          ? SpecVersionDetector.detect(schemaNode) : SpecVersion.VersionFlag.V202012;
      schema = JsonSchemaFactory.getInstance(version).getSchema(schemaNode);
    } catch (IOException | RuntimeException e) {
      return Verdict.reject(RejectReason.SchemaViolation, "the JSON Schema itself is invalid: " + firstLine(e.getMessage()));
    }
    Set<ValidationMessage> errors = schema.validate(document);
    if (errors.isEmpty()) {
      return Verdict.pass("matches its JSON Schema");
    }
    // messages may quote the content's values; for a Secret's content only where it failed is said
    String listed = errors.stream().limit(MAX_SCHEMA_MESSAGES)
        .map(m -> secret ? m.getInstanceLocation() + " (" + m.getType() + ")" : m.getMessage())
        .collect(Collectors.joining("; "));
    return Verdict.reject(RejectReason.SchemaViolation, errors.size() + " schema violation(s): " + listed);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
