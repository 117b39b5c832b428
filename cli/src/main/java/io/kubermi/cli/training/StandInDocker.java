package io.kubermi.cli.training;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A stand-in for the Docker Engine API on the loopback interface, holding one image, for the
 * class-data training only: a removal and a prune against it read, plan and delete as against a
 * daemon, so their classes are archived. (Docker listens on a unix socket; the JDK's HTTP server
 * does not, and what the training is for, the client's reading of the answers, is the same.)
 */
final class StandInDocker implements AutoCloseable {
  private static final String ID =
      "sha256:1111111111111111111111111111111111111111111111111111111111111111";
  private static final String LAYER =
      "sha256:2222222222222222222222222222222222222222222222222222222222222222";
  private final HttpServer server;
  private volatile boolean deleted;

  StandInDocker() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::answer);
    server.start();
  }

  /** The host to give {@code --docker-host}. */
  String host() {
    return "tcp://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Makes the image present again, for a second pass (the prune after the removal). */
  void restore() {
    deleted = false;
  }

  private void answer(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    if (path.equals("/_ping")) {
      reply(exchange, 200, "OK");
    } else if (path.equals("/version")) {
      reply(exchange, 200, "{\"Version\":\"20.10.24\",\"ApiVersion\":\"1.41\",\"Arch\":\"amd64\"}");
    } else if (path.equals("/info")) {
      reply(exchange, 200, "{\"Driver\":\"vfs\",\"DriverStatus\":[]}");
    } else if (path.endsWith("/containers/json")) {
      reply(exchange, 200, "[]");
    } else if (path.endsWith("/images/json")) {
      reply(exchange, 200, deleted ? "[]" : "[" + listed() + "]");
    } else if (deleted) {
      reply(exchange, 404, "{\"message\":\"No such image: training:1\"}");
    } else if (method.equals("DELETE")) {
      deleted = true;
      reply(exchange, 200, "[{\"Untagged\":\"training:1\"},{\"Deleted\":\"" + ID + "\"}]");
    } else if (path.endsWith("/history")) {
      reply(exchange, 200, "[{\"Id\":\"" + ID + "\",\"Size\":4096}]");
    } else if (path.endsWith("/json")) {
      reply(exchange, 200, "{\"Id\":\"" + ID + "\",\"RootFS\":{\"Layers\":[\"" + LAYER + "\"]}}");
    } else {
      reply(exchange, 404, "{\"message\":\"page not found\"}");
    }
  }

  private static String listed() {
    return "{\"Id\":\""
        + ID
        + "\",\"ParentId\":\"\",\"Size\":4096,\"Created\":1577836800,"
        + "\"Labels\":{\"training\":\"1\"},\"RepoTags\":[\"training:1\"],\"RepoDigests\":[]}";
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
