package io.wavegate.agent;


import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** {@code /healthz} (liveness), {@code /readyz} (watching its node's object) and {@code /metrics} of one agent. */
public final class AgentStatusServer implements AutoCloseable {

  private final HttpServer server;

  public AgentStatusServer(int port, NodeAgent agent) throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 8);
    server.createContext("/healthz", exchange -> respond(exchange, agent.alive() ? 200 : 503,
        agent.alive() ? "ok\n" : "worker stopped\n", "text/plain"));
    server.createContext("/readyz", exchange -> respond(exchange, agent.ready() ? 200 : 503,
        agent.ready() ? "ok\n" : "not watching its NodeContent yet\n", "text/plain"));
    server.createContext("/metrics", exchange -> {
      try {
        respond(exchange, 200, agent.metrics(), "text/plain; version=0.0.4");
      } catch (IOException e) {
        respond(exchange, 500, "cannot read the content directory: " + e.getMessage() + "\n", "text/plain");
      }
    });
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, int code, String body, String type) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
