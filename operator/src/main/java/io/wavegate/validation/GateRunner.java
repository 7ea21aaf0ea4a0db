package io.wavegate.validation;

import io.wavegate.api.ContentFormat;
import io.wavegate.delivery.CheckedContent;
import io.wavegate.api.ContentRolloutSpec;
import io.wavegate.api.ContentSpec;
import io.wavegate.api.KeyRef;
import io.wavegate.api.OciSource;
import io.wavegate.api.ValidationSpec;
import io.wavegate.contract.ContentBytes;
import io.wavegate.contract.oci.OciCredentials;
import io.wavegate.contract.oci.OciException;
import io.wavegate.contract.oci.OciManifest;
import io.wavegate.contract.oci.OciReference;
import io.wavegate.contract.oci.OciRegistryClient;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gathers what the content gate needs from the cluster and the registry (the bytes, schema and key)
 * and runs it. A source that does not exist yet, or a registry that does not serve it now, is waited
 * for, not failed: that is the source's fault, never the content's.
 */
public final class GateRunner {

  /** The key of a kubernetes.io/dockerconfigjson Secret. */
  static final String DOCKER_CONFIG_KEY = ".dockerconfigjson";
  private static final int MAX_COSIGN_SIGNATURES = 16;
  private static final int MAX_COSIGN_PAYLOAD = 64 * 1024;

  private final SourceReader reader;
  private final TrustedKeys trustedKeys;
  private final boolean signaturesRequired;
  private final OciRegistryClient registry;
  private final Path scratch;
  private final boolean validatorsFetchOci;

  /**
   * @param scratch where an OCI layer is kept while the gate checks it
   * @param validatorsFetchOci whether a validator Job can fetch OCI content (the operator knows the agent's image)
   */
  public GateRunner(SourceReader reader, TrustedKeys trustedKeys, boolean signaturesRequired,
      OciRegistryClient registry, Path scratch, boolean validatorsFetchOci) {
    this.scratch = scratch;
    this.validatorsFetchOci = validatorsFetchOci;
    this.reader = reader;
    this.trustedKeys = trustedKeys;
    this.signaturesRequired = signaturesRequired;
    this.registry = registry;
  }

  /** The verdict, and the checked content when the gate passed; the snapshot is made from exactly that. */
  public record Outcome(GateResult result, Optional<CheckedContent> content) {}

  public Outcome run(ContentRolloutSpec spec) {
    ContentSpec content = spec.getContent();
    ValidationSpec validation = spec.getValidation() == null ? new ValidationSpec() : spec.getValidation();
    if (validation.getValidatorJob() != null) {
      Optional<String> unsafe = ValidatorTemplates.problem(validation.getValidatorJob().getTemplate());
      if (unsafe.isPresent()) {
        return rejected(RejectReason.UnsafeValidatorJob, unsafe.get());
      }
      if (content.getSource().getOci() != null && !validatorsFetchOci) {
        return rejected(RejectReason.CheckNotRunnable, "validation.validatorJob cannot load OCI content: the operator"
            + " does not know the node agent's image, which fetches it (WAVEGATE_AGENT_IMAGE, set by the chart)");
      }
    }
    try {
      Optional<String> schema = Optional.empty();
      if (validation.getJsonSchemaRef() != null) {
        Optional<byte[]> schemaBytes = reader.configMapKey(validation.getJsonSchemaRef());
        if (schemaBytes.isEmpty()) {
          return pending("SchemaNotFound", "JSON Schema " + validation.getJsonSchemaRef() + " does not exist yet; waiting for it");
        }
        schema = Optional.of(new String(schemaBytes.get(), StandardCharsets.UTF_8));
      }
      if (content.getSource().getOci() != null) {
        return oci(content, validation, schema, content.getSource().getOci());
      }
      KeyRef sourceRef = content.getSource().getConfigMapRef() != null
          ? content.getSource().getConfigMapRef() : content.getSource().getSecretRef();
      Optional<byte[]> bytes = content.getSource().getConfigMapRef() != null
          ? reader.configMapKey(sourceRef) : reader.secretKey(sourceRef);
      if (bytes.isEmpty()) {
        return pending("SourceNotFound", (content.getSource().getConfigMapRef() != null ? "ConfigMap " : "Secret ")
            + reader.namespaceOf(sourceRef) + "/" + sourceRef.getName() + " key " + sourceRef.getKey()
            + " does not exist yet; waiting for it");
      }
      Verdict verdict = ContentGate.check(input(content, validation, schema, ContentBytes.of(bytes.get()),
          ContentFacts.of(bytes.get())));
      return outcome(verdict, new CheckedContent.Bytes(bytes.get()));
    } catch (SourceReader.NotAllowedException e) {
      return rejected(RejectReason.SourceNotAllowed, e.getMessage());
    }
  }

  /**
   * An OCI layer: the manifest by its digest, the layer the spec names, whose digest must be the
   * revision; then its bytes streamed once to a temporary file while their size and zero bytes are
   * counted and their digest checked, and the file checked by the gate like any content.
   */
  private Outcome oci(ContentSpec content, ValidationSpec validation, Optional<String> schema, OciSource source)
      throws SourceReader.NotAllowedException {
    OciReference ref = OciReference.parse(source.getReference());
    Optional<OciCredentials> credentials;
    Optional<byte[]> dockerConfig = Optional.empty();
    if (source.getPullSecretRef() != null) {
      KeyRef secret = new KeyRef(source.getPullSecretRef().getNamespace(), source.getPullSecretRef().getName(),
          DOCKER_CONFIG_KEY);
      Optional<byte[]> config = reader.secretKey(secret);
      if (config.isEmpty()) {
        return pending("PullSecretNotFound", "pull Secret " + reader.namespaceOf(secret) + "/" + secret.getName()
            + " with key " + DOCKER_CONFIG_KEY + " does not exist yet; waiting for it");
      }
      dockerConfig = config;
      try {
        credentials = OciCredentials.fromDockerConfig(config.get(), ref.registry());
      } catch (IOException | IllegalArgumentException e) {
        return rejected(RejectReason.SourceUnusable, "pull Secret " + secret.getName() + ": " + e.getMessage());
      }
    } else {
      credentials = Optional.empty();
    }
    long maxBytes = valueOr(validation.getMaxBytes(), ValidationSpec.DEFAULT_MAX_BYTES);
    Path file = null;
    try {
      OciManifest.Selection selection = registry.manifest(ref, credentials).select(source.getFile(), source.getMediaType());
      if (selection.layer().isEmpty()) {
        return rejected(RejectReason.SourceUnusable, ref + ": " + selection.problem());
      }
      OciManifest.Layer layer = selection.layer().get();
      String expected = "sha256:" + content.getSha256();
      if (!expected.equals(layer.digest())) {
        return rejected(RejectReason.DigestMismatch, "layer " + layer.title().orElse(layer.mediaType()) + " of " + ref
            + " is " + layer.digest() + ", spec.content.sha256 expects " + expected);
      }
      if (layer.size() > maxBytes) {
        return rejected(RejectReason.TooLarge, "layer " + layer.digest() + " of " + ref + " is " + layer.size()
            + " bytes, above validation.maxBytes " + maxBytes);
      }
      Map<String, String> trusted = trustedKeys.current();
      Optional<CosignSignatures.Verdict> cosign = trusted.isEmpty() ? Optional.empty()
          : Optional.of(CosignSignatures.judge(cosignSignatures(ref, credentials), ref.digest(), trusted));
      if (cosign.isPresent() && cosign.get().outcome() == CosignSignatures.Outcome.BAD) {
        return rejected(RejectReason.BadSignature, ref + ": " + cosign.get().message());
      }
      boolean cosignVerified = cosign.map(v -> v.outcome() == CosignSignatures.Outcome.VERIFIED).orElse(false);
      if (signaturesRequired && !cosignVerified && content.getSignature() == null) {
        return rejected(RejectReason.Unsigned, "signatures are required (operator setting WAVEGATE_REQUIRE_SIGNATURES,"
            + " chart value signatures.required) and " + ref + " carries neither a cosign signature by a trusted key"
            + " nor spec.content.signature" + cosign.map(v -> " (" + v.message() + ")").orElse(""));
      }
      file = Files.createTempFile(Files.createDirectories(scratch), "wavegate-gate-", ".layer");
      ContentFacts.Counting counted;
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 256 * 1024)) {
        counted = new ContentFacts.Counting(out);
        registry.blob(ref, layer.digest(), maxBytes, credentials, counted);
      }
      ContentFacts facts = new ContentFacts(content.getSha256(), counted.size(), counted.zeros());
      Verdict verdict = ContentGate.check(input(content, validation, schema, ContentBytes.of(file), facts,
          signaturesRequired && !cosignVerified));
      if (verdict.passed() && cosignVerified) {
        verdict = Verdict.pass(verdict.message() + ", " + cosign.get().message());
      }
      return outcome(verdict, new CheckedContent.Oci(ref.toString(), dockerConfig));
    } catch (OciException e) {
      if (e.sourceFault()) {
        return pending(e.kind() == OciException.Kind.UNREACHABLE ? "RegistryUnavailable" : "RegistryRefused",
            e.getMessage() + "; waiting for the registry");
      }
      return rejected(e.kind() == OciException.Kind.TOO_LARGE ? RejectReason.TooLarge
          : e.kind() == OciException.Kind.DIGEST_MISMATCH ? RejectReason.DigestMismatch : RejectReason.SourceUnusable,
          e.getMessage());
    } catch (IOException | UncheckedIOException e) {
      return pending("GateStorage", "the gate could not keep the layer on the operator's disk while checking it: "
          + e.getMessage());
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException ignored) {
          // a temporary file; the next start's temporary directory is fresh
        }
      }
    }
  }

  /** cosign's signatures of the artifact: the payloads and signatures under its .sig tag, none when there is no tag. */
  private List<CosignSignatures.Signed> cosignSignatures(OciReference ref, Optional<OciCredentials> credentials)
      throws OciException {
    Optional<OciManifest> signatures = registry.manifestAtTag(ref, CosignSignatures.tag(ref.digest()), credentials);
    List<CosignSignatures.Signed> signed = new ArrayList<>();
    for (OciManifest.Layer layer : signatures.map(OciManifest::layers).orElse(List.of())) {
      if (CosignSignatures.SIMPLE_SIGNING.equals(layer.mediaType()) && signed.size() < MAX_COSIGN_SIGNATURES) {
        signed.add(new CosignSignatures.Signed(registry.smallBlob(ref, layer.digest(), MAX_COSIGN_PAYLOAD, credentials),
            layer.annotations().get(CosignSignatures.SIGNATURE_ANNOTATION)));
      }
    }
    return signed;
  }

  private GateInput input(ContentSpec content, ValidationSpec validation, Optional<String> schema, ContentBytes bytes,
      ContentFacts facts) {
    return input(content, validation, schema, bytes, facts, signaturesRequired);
  }

  /** @param required whether the content must carry a detached signature (an artifact's cosign signature may stand in) */
  private GateInput input(ContentSpec content, ValidationSpec validation, Optional<String> schema, ContentBytes bytes,
      ContentFacts facts, boolean required) {
    Optional<GateInput.Signed> signed = Optional.ofNullable(content.getSignature()).map(s ->
        new GateInput.Signed(s.getAlgorithm(), s.getValue(), s.getKeyId()));
    GateInput.SignaturePolicy signature = new GateInput.SignaturePolicy(signed,
        signed.isPresent() || required ? trustedKeys.current() : Map.of(), required);
    return new GateInput(bytes, facts, content.getSha256(), valueOr(validation.getMinBytes(), 1L), valueOr(
        validation.getMaxBytes(), ValidationSpec.DEFAULT_MAX_BYTES), valueOr(validation.getRejectZeroFilled(), true),
        valueOr(validation.getFormat(), ContentFormat.Raw), schema, signature, content.getSource().getSecretRef() != null);
  }

  private static Outcome outcome(Verdict verdict, CheckedContent checked) {
    return verdict.passed()
        ? new Outcome(GateResult.passed(verdict.message()), Optional.of(checked))
        : rejected(verdict.reason(), verdict.message());
  }

  private static Outcome rejected(RejectReason reason, String message) {
    return new Outcome(GateResult.rejected(reason.name(), message), Optional.empty());
  }

  private static Outcome pending(String reason, String message) {
    return new Outcome(GateResult.pending(reason, message), Optional.empty());
  }

  private static <T> T valueOr(T value, T fallback) {
    return value == null ? fallback : value;
  }
}
