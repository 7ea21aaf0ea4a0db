package io.wavegate.api;

/** CEL rules shared by several fields of the CRD schema, with the messages the API server returns. */
public final class SchemaRules {

  static final String DURATION = "self.matches('^([0-9]+(ms|s|m|h))+$')";
  static final String DURATION_MESSAGE = "must be a duration such as 30s, 10m or 1h30m (units: ms, s, m, h)";

  public static final String COUNT_OR_PERCENT =
      "type(self) == int ? self >= 0 : string(self).matches('^(100|[1-9]?[0-9])%$')";
  public static final String COUNT_OR_PERCENT_MESSAGE =
      "must be a whole number >= 0 or a percent from 0% to 100% such as \"5%\"";

  private SchemaRules() {}
}
