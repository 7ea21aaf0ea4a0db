package io.wavegate.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The operator process's own meters: the JVM's and the process's, and which build runs. */
public final class ProcessMeters {

  private ProcessMeters() {}

  /** The JVM's and the process's own metrics, and which build runs (wavegate_build_info, a constant 1). */
  public static void bind(PrometheusMeterRegistry registry) {
    new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.system.UptimeMetrics().bindTo(registry);
    // an info metric proper: Micrometer's naming would strip the _info suffix off a gauge
    String version = ProcessMeters.class.getPackage().getImplementationVersion();
    io.prometheus.metrics.core.metrics.Info.builder().name("wavegate_build").help("The wavegate build that runs")
        .labelNames("version", "java_version").register(registry.getPrometheusRegistry())
        .setLabelValues(version == null ? "dev" : version, System.getProperty("java.version"));
  }
}
