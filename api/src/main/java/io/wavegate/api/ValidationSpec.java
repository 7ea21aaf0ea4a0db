package io.wavegate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** The content gate: every check runs on the exact bytes that will ship. */
@ValidationRule(value = "self.maxBytes >= self.minBytes",
    message = "validation.maxBytes must be greater than or equal to validation.minBytes")
@ValidationRule(value = "!has(self.jsonSchemaRef) || (has(self.format) && self.format != 'Raw')",
    message = "validation.jsonSchemaRef needs validation.format JSON or YAML: a schema checks parsed content, and Raw"
        + " content is not parsed")
public class ValidationSpec {

  public static final long DEFAULT_MAX_BYTES = 1_048_576;

  @Default("1")
  @Min(0)
  @JsonPropertyDescription("Smallest accepted size in bytes. Default 1.")
  private Long minBytes = 1L;

  @Default("1048576")
  @Min(1)
  @JsonPropertyDescription("Largest accepted size in bytes. Default 1048576 (1 MiB).")
  private Long maxBytes = DEFAULT_MAX_BYTES;

  @Default("true")
  @JsonPropertyDescription("Refuse content that is all (or nearly all) zero bytes. Default true.")
  private Boolean rejectZeroFilled = true;

  @Default("Raw")
  @JsonPropertyDescription("Raw (any bytes), JSON or YAML: the content must parse. Default Raw.")
  private ContentFormat format = ContentFormat.Raw;

  @JsonPropertyDescription("A JSON Schema the parsed content must match (format JSON or YAML).")
  private KeyRef jsonSchemaRef;

  @JsonPropertyDescription("A Job that loads the exact bytes with the real consumer; exit 0 passes.")
  private ValidatorJobSpec validatorJob;

  public Long getMinBytes() { return minBytes; }
  public void setMinBytes(Long minBytes) { this.minBytes = minBytes; }
  public Long getMaxBytes() { return maxBytes; }
  public void setMaxBytes(Long maxBytes) { this.maxBytes = maxBytes; }
  public Boolean getRejectZeroFilled() { return rejectZeroFilled; }
  public void setRejectZeroFilled(Boolean rejectZeroFilled) { this.rejectZeroFilled = rejectZeroFilled; }
  public ContentFormat getFormat() { return format; }
  public void setFormat(ContentFormat format) { this.format = format; }
  public KeyRef getJsonSchemaRef() { return jsonSchemaRef; }
  public void setJsonSchemaRef(KeyRef jsonSchemaRef) { this.jsonSchemaRef = jsonSchemaRef; }
  public ValidatorJobSpec getValidatorJob() { return validatorJob; }
  public void setValidatorJob(ValidatorJobSpec validatorJob) { this.validatorJob = validatorJob; }
}
