package io.kubermi.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

/** Debian's docker-registry on 127.0.0.1, for references by digest. */
public final class LocalRegistry implements AutoCloseable {
  static final String REGISTRY = "/usr/bin/docker-registry";
  private final EngineDir dir;
  private final Process process;
  private final int port;

  private LocalRegistry(EngineDir dir, Process process, int port) {
    this.dir = dir;
    this.process = process;
    this.port = port;
  }

  public static LocalRegistry start() {
    EngineDir dir = EngineDir.create("r");
    try {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      String config =
          "version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: "
              + dir.resolve("data")
              + "\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:"
              + port
              + "\n";
      Files.writeString(dir.resolve("config.yml"), config);
      Process p =
          new ProcessBuilder(REGISTRY, "serve", dir.resolve("config.yml").toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("registry.log").toFile())
              .start();
      LocalRegistry registry = new LocalRegistry(dir, p, port);
      registry.awaitListening();
      return registry;
    } catch (Exception e) {
      String log = DockerDaemon.readQuietly(dir.resolve("registry.log"));
      dir.close();
      throw new IllegalStateException(
          "docker-registry did not start: " + e.getMessage() + "\n" + log, e);
    }
  }

  private void awaitListening() throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline) {
      if (!process.isAlive())
        throw new IllegalStateException("docker-registry exited with " + process.exitValue());
      try (Socket ignored = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("docker-registry not listening within 30 s");
  }

  /** The registry's host as docker writes it in references: {@code localhost:PORT}. */
  public String host() {
    return "localhost:" + port;
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  public EngineDir dir() {
    return dir;
  }

  /**
   * Pushes {@code image} to this registry as {@code repo:tag} and pulls it back by digest into the
   * same daemon; returns the digest reference ({@code localhost:PORT/repo@sha256:...}).
   */
  public String pushAndPullByDigest(DockerDaemon docker, String image, String repoTag) {
    String remote = host() + "/" + repoTag;
    docker.dockerOk("tag", image, remote);
    docker.dockerOk("push", remote);
    String repo = remote.substring(0, remote.lastIndexOf(':'));
    String digest =
        docker.dockerOk("image", "inspect", "--format", "{{index .RepoDigests 0}}", remote);
    docker.dockerOk("pull", digest);
    if (!digest.startsWith(repo + "@sha256:"))
      throw new IllegalStateException("unexpected digest " + digest);
    return digest;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    dir.close();
  }
}
