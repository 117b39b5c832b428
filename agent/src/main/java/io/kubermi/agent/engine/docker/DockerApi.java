package io.kubermi.agent.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import io.kubermi.agent.engine.DryRunViolation;
import io.kubermi.agent.engine.EngineException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.function.Consumer;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * Raw Docker Engine API calls over docker-java's HTTP transport, keeping status and body. {@link
 * #readOnly()} is the view a dry run gets: the same connections, every change refused.
 */
final class DockerApi implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String host;
  private final DockerHttpClient http;
  private final boolean readOnly;

  record Reply(int status, JsonNode body) {}

  /** A TLS context with no keys and no trust: for a transport that never uses it. */
  private static final class NoTls {
    static SSLContext context() {
      try {
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(new KeyManager[0], new TrustManager[0], null);
        return c;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  DockerApi(String host, int maxConnections) {
    this(host, maxConnections, Duration.ofMinutes(5));
  }

  /**
   * @param responseTimeout how long a response may stay silent; null for no bound, which only a
   *     stream that is silent while nothing happens ({@link #stream}) may use
   */
  DockerApi(String host, int maxConnections, Duration responseTimeout) {
    this.host = host;
    ApacheDockerHttpClient.Builder builder =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(URI.create(host))
            .maxConnections(maxConnections)
            .connectionTimeout(Duration.ofSeconds(10))
            .responseTimeout(responseTimeout);
    if (host.startsWith("unix://")) {
      // A unix socket speaks no TLS; without this the client loads the JDK's trust store
      // (about 0.15 s of every start of kube-rmi rmi).
      builder.sslConfig(NoTls::context);
    }
    this.http = builder.build();
    this.readOnly = false;
  }

  private DockerApi(DockerApi writable) {
    this.host = writable.host;
    this.http = writable.http;
    this.readOnly = true;
  }

  /** This API with every change refused ({@link DryRunViolation}); closing it closes nothing. */
  DockerApi readOnly() {
    return readOnly ? this : new DockerApi(this);
  }

  String host() {
    return host;
  }

  Reply get(String path) {
    return call(DockerHttpClient.Request.Method.GET, path);
  }

  Reply delete(String path) {
    if (readOnly) {
      throw new DryRunViolation("DELETE " + path);
    }
    return call(DockerHttpClient.Request.Method.DELETE, path);
  }

  /**
   * GETs a stream of JSON values (the daemon's events): {@code onOpen} once the daemon accepts it,
   * then each value to {@code onValue} as it arrives; returns when the daemon ends the stream.
   * Closing this API ends a stream in progress.
   */
  void stream(String path, Runnable onOpen, Consumer<JsonNode> onValue) {
    try (DockerHttpClient.Response response =
            http.execute(request(DockerHttpClient.Request.Method.GET, path));
        InputStream body = response.getBody()) {
      if (response.getStatusCode() != 200) {
        throw new EngineException(
            "Docker API answered " + response.getStatusCode() + " to " + path);
      }
      onOpen.run();
      MappingIterator<JsonNode> values = JSON.readerFor(JsonNode.class).readValues(body);
      while (values.hasNextValue()) {
        onValue.accept(values.nextValue());
      }
    } catch (EngineException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw unreachable(e);
    }
  }

  private Reply call(DockerHttpClient.Request.Method method, String path) {
    try (DockerHttpClient.Response response = http.execute(request(method, path));
        InputStream body = response.getBody()) {
      byte[] bytes = body == null ? new byte[0] : body.readAllBytes();
      JsonNode json = bytes.length == 0 ? JSON.nullNode() : parse(bytes);
      return new Reply(response.getStatusCode(), json);
    } catch (IOException | RuntimeException e) {
      throw unreachable(e);
    }
  }

  private static DockerHttpClient.Request request(
      DockerHttpClient.Request.Method method, String path) {
    return DockerHttpClient.Request.builder().method(method).path(path).build();
  }

  private EngineException unreachable(Exception e) {
    return new EngineException(
        "Cannot connect to the Docker daemon at " + host + ": " + e.getMessage(), e);
  }

  private static JsonNode parse(byte[] bytes) {
    try {
      return JSON.readTree(bytes);
    } catch (IOException notJson) {
      // e.g. a plain-text 404 from the router: keep the text as the message
      return JSON.createObjectNode()
          .put("message", new String(bytes, StandardCharsets.UTF_8).trim());
    }
  }

  @Override
  public void close() {
    if (readOnly) {
      return; // the writable instance owns the connections
    }
    try {
      http.close();
    } catch (IOException ignored) {
      // nothing left to release
    }
  }
}
