package io.wavegate.api;

/** What an empty query result means for a metric gate. */
public enum MetricNoData { Fail, Ignore, Inconclusive }
