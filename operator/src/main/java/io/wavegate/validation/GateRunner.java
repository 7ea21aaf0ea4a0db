package io.wavegate.validation;

import io.wavegate.api.ContentRolloutSpec;
import io.wavegate.api.ContentSpec;
import io.wavegate.api.KeyRef;
import io.wavegate.api.ValidationSpec;
import io.wavegate.validation.GateResult;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Gathers what the content gate needs from the cluster (the bytes, schema and key) and runs it.
 * A source that does not exist yet is waited for, not failed.
 */
public final class GateRunner {

  private final SourceReader reader;
  private final TrustedKeys trustedKeys;
  private final boolean signaturesRequired;

  public GateRunner(SourceReader reader, TrustedKeys trustedKeys, boolean signaturesRequired) {
    this.reader = reader;
    this.trustedKeys = trustedKeys;
    this.signaturesRequired = signaturesRequired;
  }

  /** The checked bytes, when the gate passed; the snapshot is made from exactly these. */
  public record Outcome(GateResult result, Optional<byte[]> content) {}

  public Outcome run(ContentRolloutSpec spec) {
    ContentSpec content = spec.getContent();
    ValidationSpec validation = spec.getValidation() == null ? new ValidationSpec() : spec.getValidation();
    if (validation.getValidatorJob() != null) {
      Optional<String> unsafe = ValidatorTemplates.problem(validation.getValidatorJob().getTemplate());
      if (unsafe.isPresent()) {
        return new Outcome(GateResult.rejected(RejectReason.UnsafeValidatorJob.name(), unsafe.get()), Optional.empty());
      }
    }
    try {
      KeyRef sourceRef = content.getSource().getConfigMapRef() != null
          ? content.getSource().getConfigMapRef() : content.getSource().getSecretRef();
      Optional<byte[]> bytes = content.getSource().getConfigMapRef() != null
          ? reader.configMapKey(sourceRef) : reader.secretKey(sourceRef);
      if (bytes.isEmpty()) {
        return pending("SourceNotFound", (content.getSource().getConfigMapRef() != null ? "ConfigMap " : "Secret ")
            + reader.namespaceOf(sourceRef) + "/" + sourceRef.getName() + " key " + sourceRef.getKey()
            + " does not exist yet; waiting for it");
      }
      Optional<String> schema = Optional.empty();
      if (validation.getJsonSchemaRef() != null) {
        Optional<byte[]> schemaBytes = reader.configMapKey(validation.getJsonSchemaRef());
        if (schemaBytes.isEmpty()) {
          return pending("SchemaNotFound", "JSON Schema " + validation.getJsonSchemaRef() + " does not exist yet; waiting for it");
        }
        schema = Optional.of(new String(schemaBytes.get(), StandardCharsets.UTF_8));
      }
      Optional<GateInput.Signed> signed = Optional.ofNullable(content.getSignature()).map(s ->
          new GateInput.Signed(s.getAlgorithm(), s.getValue(), s.getKeyId()));
      GateInput.SignaturePolicy signature = new GateInput.SignaturePolicy(signed,
          signed.isPresent() || signaturesRequired ? trustedKeys.current() : java.util.Map.of(), signaturesRequired);
      Verdict verdict = ContentGate.check(new GateInput(bytes.get(), content.getSha256(),
          valueOr(validation.getMinBytes(), 1L), valueOr(validation.getMaxBytes(), ValidationSpec.DEFAULT_MAX_BYTES),
          valueOr(validation.getRejectZeroFilled(), true), valueOr(validation.getFormat(), io.wavegate.api.ContentFormat.Raw),
          schema, signature, content.getSource().getSecretRef() != null));
      return verdict.passed()
          ? new Outcome(GateResult.passed(verdict.message()), bytes)
          : new Outcome(GateResult.rejected(verdict.reason().name(), verdict.message()), Optional.empty());
    } catch (SourceReader.NotAllowedException e) {
      return new Outcome(GateResult.rejected(RejectReason.SourceNotAllowed.name(), e.getMessage()), Optional.empty());
    }
  }

  private static Outcome pending(String reason, String message) {
    return new Outcome(GateResult.pending(reason, message), Optional.empty());
  }

  private static <T> T valueOr(T value, T fallback) {
    return value == null ? fallback : value;
  }
}
