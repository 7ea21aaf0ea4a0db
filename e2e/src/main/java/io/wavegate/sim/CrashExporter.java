package io.wavegate.sim;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a fleet's crash metrics look like to Prometheus: a sensor's crash counter per node
 * ({@code sensor_crashes_total{node="…"}}) and, as node_exporter has it, each node's boot time
 * ({@code node_boot_time_seconds{node="…"}}), served in the text format for a real Prometheus to scrape.
 */
public final class CrashExporter implements AutoCloseable {

  public static final String METRIC = "sensor_crashes_total";
  public static final String BOOT_TIME = "node_boot_time_seconds";
  private static final double BOOTED_AT = 1.7e9;

  private final Map<String, Double> crashes = new ConcurrentHashMap<>();
  private final Map<String, Double> bootTimes = new ConcurrentHashMap<>();
  private final HttpServer server;

  public CrashExporter(Collection<String> nodes) throws IOException {
    nodes.forEach(node -> crashes.put(node, 0.0));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
    server.createContext("/metrics", exchange -> {
      StringBuilder body = new StringBuilder("# HELP " + METRIC + " Sensor crashes on the node.\n# TYPE " + METRIC
          + " counter\n");
      Map<String, Double> sorted = new TreeMap<>(crashes);
      sorted.forEach((node, value) -> body.append(METRIC).append("{node=\"").append(node)
          .append("\"} ").append(value).append('\n'));
      body.append("# HELP " + BOOT_TIME + " Node boot time, in unixtime.\n# TYPE " + BOOT_TIME + " gauge\n");
      sorted.keySet().forEach(node -> body.append(BOOT_TIME).append("{node=\"").append(node)
          .append("\"} ").append(bootTimes.getOrDefault(node, BOOTED_AT)).append('\n'));
      byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
    server.start();
  }

  /** host:port for a scrape config. */
  public String target() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  public void set(String node, double value) {
    crashes.put(node, value);
  }

  /** The node booted again: its boot time moves on. */
  public void reboot(String node) {
    bootTimes.merge(node, BOOTED_AT + 60, (before, none) -> before + 60);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
