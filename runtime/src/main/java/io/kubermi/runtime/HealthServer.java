package io.kubermi.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * {@code /metrics} (Prometheus text), {@code /healthz} (the process serves and no step of its work
 * is wedged) and {@code /readyz} (the process can do its work) on one port, for the operator and
 * the agent alike.
 */
public final class HealthServer implements AutoCloseable {
  /** Why the process is not ready, or empty when it is. */
  public interface Readiness extends Supplier<Optional<String>> {}

  private final HttpServer server;

  public HealthServer(int port, PrometheusMeterRegistry registry, Readiness readiness) {
    this(port, registry, readiness, Optional::empty);
  }

  /**
   * @param liveness why the process is wedged and must be restarted, or empty (see {@link
   *     Watchdog})
   */
  public HealthServer(
      int port, PrometheusMeterRegistry registry, Readiness readiness, Readiness liveness) {
    try {
      server = HttpServer.create(new InetSocketAddress(port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on port " + port, e);
    }
    server.createContext(
        "/metrics",
        x -> respond(x, 200, registry.scrape(), "text/plain; version=0.0.4; charset=utf-8"));
    server.createContext("/healthz", x -> probe(x, liveness.get(), "ok", "not live: "));
    server.createContext("/readyz", x -> probe(x, readiness.get(), "ready", "not ready: "));
    server.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "kube-rmi-http");
              t.setDaemon(true);
              return t;
            }));
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** 200 with {@code ok}, or 503 with the problem after {@code prefix}. */
  private static void probe(HttpExchange x, Optional<String> problem, String ok, String prefix)
      throws IOException {
    respond(
        x,
        problem.isEmpty() ? 200 : 503,
        problem.map(p -> prefix + p + "\n").orElse(ok + "\n"),
        "text/plain");
  }

  private static void respond(HttpExchange x, int status, String body, String type)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", type);
    x.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
