package io.wavegate.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A Prometheus query API endpoint and how to reach it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PrometheusProvider {

  public static final String DEFAULT_TIMEOUT = "10s";

  @Required
  @Size(min = 1, max = 2048)
  @Pattern("^https?://[^\\s]+$")
  @JsonPropertyDescription("Base URL, for example http://prometheus.monitoring:9090 (the query goes to /api/v1/query).")
  private String address;

  @JsonPropertyDescription("A Secret in a source namespace with the credentials: key token (a bearer token), or keys"
      + " username and password (basic auth).")
  private SecretRef authSecretRef;

  @JsonPropertyDescription("Accept any TLS certificate from the server. Default false.")
  private Boolean insecureSkipVerify;

  @Default(DEFAULT_TIMEOUT)
  @Size(max = 32)
  @ValidationRule(value = SchemaRules.DURATION, message = "timeout " + SchemaRules.DURATION_MESSAGE)
  @JsonPropertyDescription("How long one query may take. Default 10s.")
  private String timeout = DEFAULT_TIMEOUT;

  public String getAddress() { return address; }
  public void setAddress(String address) { this.address = address; }
  public SecretRef getAuthSecretRef() { return authSecretRef; }
  public void setAuthSecretRef(SecretRef authSecretRef) { this.authSecretRef = authSecretRef; }
  public Boolean getInsecureSkipVerify() { return insecureSkipVerify; }
  public void setInsecureSkipVerify(Boolean insecureSkipVerify) { this.insecureSkipVerify = insecureSkipVerify; }
  public String getTimeout() { return timeout; }
  public void setTimeout(String timeout) { this.timeout = timeout; }
}
