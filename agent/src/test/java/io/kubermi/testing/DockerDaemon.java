package io.kubermi.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real dockerd (Debian's docker.io 20.10, or the upstream 28 build: {@link DockerBuild}) with all
 * state under its own short folder; one "node".
 */
public final class DockerDaemon implements AutoCloseable {
  static final String DOCKERD = DockerBuild.dockerd();

  /** The CLI of the daemon's own version. */
  static final String DOCKER = DockerBuild.cli();

  private static final ObjectMapper JSON = new ObjectMapper();

  /** How long one CLI or API call against the daemon may take before the test fails. */
  private static final Duration CALL_LIMIT = Duration.ofMinutes(2);

  private final EngineDir dir;
  private final boolean containerdStore;
  private volatile Process process;
  private final RootfsFactory rootfs;
  private DockerHttpClient api;

  private DockerDaemon(EngineDir dir, Process process, boolean containerdStore) {
    this.dir = dir;
    this.process = process;
    this.containerdStore = containerdStore;
    this.rootfs = new RootfsFactory(dir.resolve("rootfs"));
  }

  public static DockerDaemon start(String name) {
    return start(name, DockerBuild.containerdStore());
  }

  /**
   * The current daemon ({@code upstream/build.sh}'s, with the containerd 2.x build) keeping its
   * images in containerd ({@code "features": {"containerd-snapshotter": true}}), whatever the
   * properties say.
   */
  public static DockerDaemon startWithContainerdStore(String name) {
    return start(name, true);
  }

  private static DockerDaemon start(String name, boolean containerdStore) {
    EngineDir dir = EngineDir.create("d" + name);
    try {
      Process p = launch(dir, containerdStore);
      DockerDaemon daemon = new DockerDaemon(dir, p, containerdStore);
      daemon.awaitReady();
      return daemon;
    } catch (Exception e) {
      String log = readQuietly(dir.resolve("dockerd.log"));
      dir.close();
      throw new IllegalStateException("dockerd did not start: " + e.getMessage() + "\n" + log, e);
    }
  }

  private static Process launch(EngineDir dir, boolean containerdStore) throws IOException {
    Path d = dir.path();
    ProcessBuilder pb =
        new ProcessBuilder(
            containerdStore ? DockerBuild.upstreamDockerd() : DOCKERD,
            "--data-root",
            d + "/data",
            "--exec-root",
            d + "/exec",
            "--pidfile",
            d + "/pid",
            "-H",
            "unix://" + d + "/d.sock",
            "--iptables=false",
            "--ip6tables=false",
            "--bridge=none",
            "--shutdown-timeout=2");
    if (containerdStore) {
      // containerd's native snapshotter: plain copies, as vfs is for the classic store
      Files.writeString(
          d.resolve("daemon.json"), "{\"features\": {\"containerd-snapshotter\": true}}");
      pb.command().addAll(List.of("--config-file", d + "/daemon.json", "--storage-driver=native"));
    } else {
      pb.command().add("--storage-driver=vfs");
    }
    Path containerd =
        containerdStore ? ContainerdBuild.upstreamBinaries() : DockerBuild.containerd();
    if (containerd != null) {
      pb.environment().put("PATH", containerd + ":" + System.getenv().getOrDefault("PATH", ""));
    }
    return pb.redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(d.resolve("dockerd.log").toFile()))
        .start();
  }

  /**
   * kill -9 of the daemon and its containerd, as a crash of the service does, then the same daemon
   * started again on its data.
   */
  public void killAndRestart() {
    kill();
    startAgain();
  }

  /** kill -9 of the daemon and its containerd, as a crash of the service does. */
  public void kill() {
    closeApiClient();
    try {
      process.destroyForcibly().waitFor();
      for (ProcessHandle p : dir.ownedProcesses()) {
        p.destroyForcibly();
        p.onExit().get(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the daemon's processes did not exit", e);
    }
  }

  /** The same daemon started again on its data after {@link #kill()}; returns once it answers. */
  public void startAgain() {
    try {
      Files.deleteIfExists(dir.resolve("pid"));
      // As a reboot clears /run: a stale pid could name another process, and dockerd would wait
      // for that "containerd" instead of starting its own.
      Files.deleteIfExists(dir.resolve("exec/containerd/containerd.pid"));
      process = launch(dir, containerdStore);
      try {
        awaitReady();
      } catch (IllegalStateException e) {
        String log = readQuietly(dir.resolve("dockerd.log"));
        throw new IllegalStateException(
            e.getMessage() + "\n" + log.substring(Math.max(0, log.length() - 3000)), e);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void awaitReady() throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("dockerd exited with " + process.exitValue());
      }
      if (Files.exists(socket())
          && docker("version", "--format", "{{.Server.APIVersion}}").exit() == 0) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("dockerd not ready within 60 s");
  }

  public Path socket() {
    return dir.resolve("d.sock");
  }

  /** For docker-java and DOCKER_HOST: {@code unix:///tmp/krmi-.../d.sock}. */
  public String host() {
    return "unix://" + socket();
  }

  public long pid() {
    return process.pid();
  }

  public EngineDir dir() {
    return dir;
  }

  /**
   * The daemon's goroutines that are serving an API request now (dockerd writes every goroutine's
   * stack to its exec root on SIGUSR1): for a failure's report, where a call that never answered
   * waits inside the daemon.
   */
  public String requestsInFlight() {
    try (var before = Files.list(dir.resolve("exec"))) {
      List<Path> old = before.toList();
      Sh.run(List.of("kill", "-USR1", Long.toString(process.pid())));
      for (int i = 0; i < 50; i++) {
        try (var now = Files.list(dir.resolve("exec"))) {
          Path dump =
              now.filter(p -> p.getFileName().toString().startsWith("goroutine-stacks-"))
                  .filter(p -> !old.contains(p))
                  .findFirst()
                  .orElse(null);
          if (dump != null) {
            Thread.sleep(200); // written in one go, but give it the time to finish
            return Arrays.stream(Files.readString(dump).split("\n\n"))
                .filter(g -> g.contains("/api/server/router/"))
                .reduce("", (a, b) -> a + b + "\n\n");
          }
        }
        Thread.sleep(100);
      }
      return "(no goroutine dump within 5 s)";
    } catch (IOException e) {
      return "(no goroutine dump: " + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(interrupted)";
    }
  }

  /**
   * The docker CLI against this daemon; the CLI's config stays in this folder, not the user's home.
   */
  public Sh.Result docker(String... args) {
    List<String> cmd = new ArrayList<>(List.of(DOCKER, "-H", host()));
    cmd.addAll(Arrays.asList(args));
    return Sh.run(cmd, Map.of("DOCKER_CONFIG", dir.resolve("cli").toString()), null, CALL_LIMIT);
  }

  /**
   * The daemon's API answer to a GET, or null on 404. Read in this process: each CLI call starts a
   * process (about 70 ms from a test), which made reads most of the differential walks' time.
   */
  public JsonNode apiGet(String path) {
    try (DockerHttpClient.Response response =
        apiClient()
            .execute(
                DockerHttpClient.Request.builder()
                    .method(DockerHttpClient.Request.Method.GET)
                    .path(path)
                    .build())) {
      if (response.getStatusCode() == 404) return null;
      if (response.getStatusCode() != 200) {
        throw new IllegalStateException("GET " + path + " answered " + response.getStatusCode());
      }
      return JSON.readTree(response.getBody());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private synchronized DockerHttpClient apiClient() {
    if (api == null) {
      api =
          new ApacheDockerHttpClient.Builder()
              .dockerHost(URI.create(host()))
              .connectionTimeout(Duration.ofSeconds(10))
              .responseTimeout(CALL_LIMIT)
              .build();
    }
    return api;
  }

  /** Drops the API client's connections: they die with the daemon. */
  private synchronized void closeApiClient() {
    if (api == null) return;
    try {
      api.close();
    } catch (IOException ignored) {
      // its connections are gone with the daemon anyway
    }
    api = null;
  }

  /** A container and the full ID of its image. */
  public record Container(String id, String imageId) {}

  /** Every container, running or not ({@code docker ps -a}). */
  public List<Container> containers() {
    List<Container> all = new ArrayList<>();
    apiGet("/containers/json?all=1")
        .forEach(c -> all.add(new Container(c.path("Id").asText(), c.path("ImageID").asText())));
    return all;
  }

  /**
   * The full IDs of the images {@code docker images -q} lists, with intermediate images when {@code
   * all} ({@code -a}).
   */
  public List<String> imageIds(boolean all) {
    List<String> ids = new ArrayList<>();
    apiGet("/images/json?all=" + (all ? 1 : 0)).forEach(i -> ids.add(i.path("Id").asText()));
    return ids;
  }

  /** Whether the reference or ID names an image ({@code docker image inspect} succeeds). */
  public boolean hasImage(String ref) {
    return apiGet("/images/" + ref + "/json") != null;
  }

  /** Runs the CLI, fails on a non-zero exit, returns trimmed stdout. */
  public String dockerOk(String... args) {
    return docker(args).orThrow().out().trim();
  }

  /** Imports a one-layer busybox image with unique content; returns its full ID (sha256:...). */
  public String importImage(String ref) {
    return importImage(ref, null);
  }

  /**
   * Imports a busybox image whose layer is shared by every image imported with the same content
   * key.
   */
  public String importImage(String ref, String contentKey) {
    Path tar = rootfs.tar(contentKey);
    return dockerOk("import", tar.toString(), ref);
  }

  /**
   * Imports a busybox image with Dockerfile-style changes (e.g. {@code LABEL team=a}); {@code
   * contentKey} as in {@link #importImage(String, String)}.
   */
  public String importImage(String ref, String contentKey, List<String> changes) {
    List<String> cmd = new ArrayList<>(List.of("import"));
    changes.forEach(c -> cmd.addAll(List.of("-c", c)));
    cmd.addAll(List.of(rootfs.tar(contentKey).toString(), ref));
    return dockerOk(cmd.toArray(String[]::new));
  }

  /** A child image: commits a stopped container made from {@code parent} with one more file. */
  public String commitChild(String parent, String ref) {
    String c = dockerOk("create", "--network", "none", parent, "/bin/busybox", "true");
    try {
      Path f = dir.resolve("child-" + System.nanoTime());
      Files.writeString(f, ref);
      dockerOk("cp", f.toString(), c + ":/child-marker");
      return dockerOk("commit", c, ref);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      dockerOk("rm", "-f", c);
    }
  }

  /** A running container (busybox sleep) on the image; returns its full ID. */
  public String runContainer(String image, String name) {
    return dockerOk(
        "run", "-d", "--network", "none", "--name", name, image, "/bin/busybox", "sleep", "100000");
  }

  /** A created, never started container (docker counts it as stopped); returns its full ID. */
  public String createContainer(String image, String name) {
    return dockerOk("create", "--network", "none", "--name", name, image, "/bin/busybox", "true");
  }

  public String imageId(String ref) {
    JsonNode image = apiGet("/images/" + ref + "/json");
    if (image == null) throw new IllegalStateException("no image " + ref);
    return image.path("Id").asText();
  }

  /** Every image with its references, one line each: {@code <id> <repo:tag|<none>> <digest>}. */
  public List<String> imageListing() {
    String out =
        dockerOk(
            "images",
            "-a",
            "--no-trunc",
            "--digests",
            "--format",
            "{{.ID}} {{.Repository}}:{{.Tag}} {{.Digest}}");
    return out.isEmpty() ? List.of() : out.lines().sorted().toList();
  }

  /** Removes every container and image, leaving an empty daemon for the next scenario. */
  public void reset() {
    String containers = dockerOk("ps", "-aq");
    if (!containers.isEmpty()) {
      List<String> cmd = new ArrayList<>(List.of("rm", "-f"));
      cmd.addAll(containers.lines().toList());
      dockerOk(cmd.toArray(String[]::new));
    }
    dockerOk("image", "prune", "-af");
  }

  @Override
  public void close() {
    try {
      String containers = docker("ps", "-aq").out().trim();
      if (!containers.isEmpty()) {
        List<String> cmd = new ArrayList<>(List.of("rm", "-f"));
        cmd.addAll(containers.lines().toList());
        docker(cmd.toArray(String[]::new));
      }
    } catch (RuntimeException ignored) {
      // the daemon may already be gone; the folder sweep below still stops what is ours
    }
    closeApiClient();
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    dir.close();
  }

  static String readQuietly(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p) : "";
    } catch (IOException e) {
      return "";
    }
  }
}
