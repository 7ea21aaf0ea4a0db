package io.wavegate.plugin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code kubectl wavegate dashboard}: a local web UI over the user's kubeconfig (docs/kubectl-plugin.md).
 * Serves the page and its script from the jar (no external asset: clusters are often offline), a JSON
 * picture of the rollouts, a stream of new pictures (server-sent events, sent when a watch saw a change),
 * and the actions, each a POST. Nothing is installed in the cluster.
 *
 * <p>Every API call needs the session's token (a header, or a query parameter for the event stream), and
 * the Host header must name the address served: another site in the same browser can neither read the
 * token nor post with it, and a DNS name rebound to 127.0.0.1 is refused. On loopback the page carries the
 * token; served to others ({@code --allow-remote}) the page itself needs it, from the URL printed at start.
 */
public final class Dashboard implements AutoCloseable {

  /** How often a page's stream looks whether the watches saw a change. */
  static final Duration TICK = Duration.ofMillis(250);
  static final Duration HEARTBEAT = Duration.ofSeconds(15);
  private static final String TOKEN_HEADER = "X-Wavegate-Token";
  private static final Map<String, String> ASSETS = Map.of("/app.js", "text/javascript; charset=utf-8",
      "/app.css", "text/css; charset=utf-8");

  /** How the dashboard is served. */
  public record Options(String address, int port, boolean readOnly, boolean allowRemote) {}

  private final KubernetesClient client;
  private final FleetWatch watch;
  private final Options options;
  private final Clock clock;
  private final String token;
  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread thread = new Thread(r, "dashboard");
    thread.setDaemon(true);
    return thread;
  });
  private volatile boolean closed;

  private Dashboard(KubernetesClient client, Options options, Clock clock) throws IOException {
    InetAddress address = InetAddress.getByName(options.address());
    if (!address.isLoopbackAddress() && !options.allowRemote()) {
      throw new IllegalArgumentException("refusing to serve on " + options.address() + ": anyone who reaches it acts"
          + " with your kubeconfig's rights; --allow-remote serves it with a token (docs/kubectl-plugin.md)");
    }
    this.client = client;
    this.options = options;
    this.clock = clock;
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    this.token = HexFormat.of().formatHex(random);
    this.watch = new FleetWatch(client);
    this.server = HttpServer.create(new InetSocketAddress(address, options.port()), 0);
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts watching and serving; {@link #url()} says where. */
  public static Dashboard start(KubernetesClient client, Options options, Clock clock) throws IOException {
    return new Dashboard(client, options, clock);
  }

  /** Where the page is; served to others, with the token that opens it. */
  public String url() {
    String host = server.getAddress().getAddress().isLoopbackAddress() ? "127.0.0.1"
        : server.getAddress().getAddress().getHostAddress();
    return "http://" + host + ":" + server.getAddress().getPort() + "/"
        + (options.allowRemote() && !server.getAddress().getAddress().isLoopbackAddress() ? "?token=" + token : "");
  }

  @Override
  public void close() {
    closed = true;
    server.stop(0);
    watch.close();
    threads.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      secureHeaders(exchange);
      if (!hostAllowed(exchange)) {
        send(exchange, 403, "text/plain", "this dashboard answers only to the address it serves");
        return;
      }
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      Map<String, String> query = query(exchange.getRequestURI());
      if (path.equals("/") && method.equals("GET")) {
        boolean remote = !server.getAddress().getAddress().isLoopbackAddress();
        if (remote && !tokenMatches(query.get("token"))) {
          send(exchange, 401, "text/plain", "open the URL kubectl wavegate dashboard printed: it carries the token");
          return;
        }
        send(exchange, 200, "text/html; charset=utf-8", page());
        return;
      }
      if (ASSETS.containsKey(path) && method.equals("GET")) {
        send(exchange, 200, ASSETS.get(path), asset(path.substring(1)));
        return;
      }
      if (!path.startsWith("/api/")) {
        send(exchange, 404, "text/plain", "not found");
        return;
      }
      String given = Optional.ofNullable(exchange.getRequestHeaders().getFirst(TOKEN_HEADER)).orElse(query.get("token"));
      if (!tokenMatches(given)) {
        send(exchange, 401, "application/json", DashboardJson.json(Map.of("message", "no or wrong token")));
        return;
      }
      api(exchange, method, path.substring("/api/".length()), query);
    } catch (RuntimeException e) {
      // a failed call (forbidden, not found, the API server away) is said to the page, as kubectl says it
      if (exchange.getResponseCode() == -1) {
        send(exchange, 500, "application/json", DashboardJson.json(Map.of("message", String.valueOf(e.getMessage()))));
      }
    }
  }

  private void api(HttpExchange exchange, String method, String path, Map<String, String> query) throws IOException {
    String[] parts = path.split("/");
    if (method.equals("GET") && path.equals("rollouts")) {
      send(exchange, 200, "application/json", DashboardJson.json(DashboardJson.list(watch.rollouts())));
    } else if (method.equals("GET") && parts.length == 2 && parts[0].equals("rollouts")) {
      Optional<Map<String, Object>> detail = detail(parts[1]);
      if (detail.isEmpty()) {
        send(exchange, 404, "application/json", DashboardJson.json(Map.of("message", "no ContentRollout " + parts[1])));
      } else {
        send(exchange, 200, "application/json", DashboardJson.json(detail.get()));
      }
    } else if (method.equals("GET") && path.equals("stream")) {
      stream(exchange, query.get("rollout"));
    } else if (method.equals("POST") && options.readOnly()) {
      send(exchange, 403, "application/json", DashboardJson.json(Map.of("message",
          "this dashboard is read-only (--read-only)")));
    } else if (method.equals("POST") && parts.length == 3 && parts[0].equals("rollouts")
        && Steer.named(parts[2]).isPresent()) {
      if (watch.rollout(parts[1]).isEmpty()) {
        send(exchange, 404, "application/json", DashboardJson.json(Map.of("message", "no ContentRollout " + parts[1])));
        return;
      }
      Steer steer = Steer.named(parts[2]).get();
      steer.apply(client, parts[1]);
      send(exchange, 200, "application/json", DashboardJson.json(Map.of("message", parts[1] + " " + steer.done())));
    } else if (method.equals("POST") && path.equals("stop")) {
      send(exchange, 200, "application/json", DashboardJson.json(Map.of("message",
          String.join("\n", Steer.stop(client, null)))));
    } else {
      send(exchange, 404, "application/json", DashboardJson.json(Map.of("message", "no such call: " + method + " "
          + path)));
    }
  }

  private Optional<Map<String, Object>> detail(String name) {
    return watch.rollout(name).map(rollout -> DashboardJson.detail(rollout, FleetMap.of(rollout, watch.nodes(),
        watch.contents(), WavegateCli.policiesFor(rollout, watch.policies(), clock.instant()),
        WavegateCli.generallyAvailableAt(rollout))));
  }

  /**
   * Server-sent events: a picture at once, then one each time the watches saw a change (looked at every
   * {@link #TICK}), and a comment now and then so that a closed page is noticed.
   */
  private void stream(HttpExchange exchange, String rollout) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    long sent = -1;
    long quietSince = System.nanoTime();
    try {
      while (!closed) {
        long version = watch.version();
        if (version != sent) {
          Map<String, Object> picture = new LinkedHashMap<>(DashboardJson.list(watch.rollouts()));
          if (rollout != null && !rollout.isEmpty()) {
            picture.put("detail", detail(rollout).orElse(null));
          }
          picture.put("readOnly", options.readOnly());
          out.write(("data: " + DashboardJson.json(picture) + "\n\n").getBytes(StandardCharsets.UTF_8));
          out.flush();
          sent = version;
          quietSince = System.nanoTime();
        } else if (System.nanoTime() - quietSince > HEARTBEAT.toNanos()) {
          out.write(": still here\n\n".getBytes(StandardCharsets.UTF_8));
          out.flush();
          quietSince = System.nanoTime();
        }
        Thread.sleep(TICK.toMillis());
      }
    } catch (IOException e) {
      // the page went away
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The page, with the session's token and whether it is read-only, for its script to read. */
  private String page() throws IOException {
    return new String(asset("index.html"), StandardCharsets.UTF_8).replace("{{token}}", token)
        .replace("{{readOnly}}", String.valueOf(options.readOnly()));
  }

  private static byte[] asset(String name) throws IOException {
    try (InputStream in = Dashboard.class.getResourceAsStream("/dashboard/" + name)) {
      if (in == null) {
        throw new IOException("the plugin's jar lacks dashboard/" + name);
      }
      return in.readAllBytes();
    }
  }

  private boolean hostAllowed(HttpExchange exchange) {
    String host = exchange.getRequestHeaders().getFirst("Host");
    int port = server.getAddress().getPort();
    InetAddress bound = server.getAddress().getAddress();
    List<String> allowed = bound.isLoopbackAddress()
        ? List.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port)
        : List.of(bound.getHostAddress() + ":" + port);
    return options.allowRemote() && !bound.isLoopbackAddress() || host != null && allowed.contains(host);
  }

  private boolean tokenMatches(String given) {
    return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
        token.getBytes(StandardCharsets.UTF_8));
  }

  private static void secureHeaders(HttpExchange exchange) {
    var headers = exchange.getResponseHeaders();
    headers.set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
        + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("Cache-Control", "no-store");
  }

  private static void send(HttpExchange exchange, int code, String type, String body) throws IOException {
    send(exchange, code, type, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int code, String type, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> query = new LinkedHashMap<>();
    if (uri.getRawQuery() == null) {
      return query;
    }
    for (String pair : uri.getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return query;
  }
}
