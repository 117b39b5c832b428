package io.kubermi.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A real containerd with the CRI plugin, state under its own short folder: Debian's 1.6, or the
 * upstream 2.x build ({@link ContainerdBuild}).
 */
public final class ContainerdDaemon implements AutoCloseable {
  static final String CONTAINERD = ContainerdBuild.containerd();
  static final String CTR = ContainerdBuild.ctr();
  public static final String NAMESPACE = "k8s.io";

  private final EngineDir dir;
  private volatile Process process;

  private ContainerdDaemon(EngineDir dir, Process process) {
    this.dir = dir;
    this.process = process;
  }

  public static ContainerdDaemon start(String name) {
    return start(name, 0);
  }

  /**
   * A containerd whose root (content store, snapshots, metadata) is a tmpfs of {@code megabytes}
   * made for it, so a test can compare what the engine counts with what the file system holds.
   */
  public static ContainerdDaemon startOnSmallFileSystem(String name, int megabytes) {
    return start(name, megabytes);
  }

  /** The file system bytes in use under containerd's root. */
  public long rootBytesInUse() {
    try {
      java.nio.file.FileStore store = Files.getFileStore(dir.resolve("root"));
      return store.getTotalSpace() - store.getUnallocatedSpace();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ContainerdDaemon start(String name, int tmpfsMegabytes) {
    EngineDir dir = EngineDir.create("c" + name);
    try {
      Path d = dir.path();
      if (tmpfsMegabytes > 0) {
        Files.createDirectories(d.resolve("root"));
        Sh.run(
                List.of(
                    "mount",
                    "-t",
                    "tmpfs",
                    "-o",
                    "size=" + tmpfsMegabytes + "m",
                    "krmi-tmpfs",
                    d.resolve("root").toString()))
            .orThrow();
      }
      Files.writeString(d.resolve("config.toml"), config(d));
      Process p = launch(d);
      ContainerdDaemon daemon = new ContainerdDaemon(dir, p);
      daemon.awaitReady();
      return daemon;
    } catch (Exception e) {
      String log = DockerDaemon.readQuietly(dir.resolve("containerd.log"));
      dir.close();
      throw new IllegalStateException(
          "containerd did not start: " + e.getMessage() + "\n" + log, e);
    }
  }

  private static Process launch(Path d) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(CONTAINERD, "--config", d + "/config.toml");
    // containerd finds its runc shim on PATH: the one built with it first.
    pb.environment()
        .put("PATH", ContainerdBuild.binaries() + ":" + System.getenv().getOrDefault("PATH", ""));
    return pb.redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(d.resolve("containerd.log").toFile()))
        .start();
  }

  /** kill -9 of containerd, as a crash does, then the same containerd started again on its root. */
  public void killAndRestart() {
    try {
      process.destroyForcibly().waitFor();
      process = launch(dir.path());
      awaitReady();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * containerd's own default configuration (version 2 on 1.6, 4 on 2.3) with root, state and
   * sockets moved into our folder, no imports of the machine's drop-in files, and NRI (on by
   * default in 2.x, with a socket at a fixed path every containerd of the machine would share) off.
   */
  private static String config(Path d) {
    String defaults = Sh.run(List.of(CONTAINERD, "config", "default")).orThrow().out();
    StringBuilder out = new StringBuilder();
    String section = "";
    for (String line : defaults.split("\n", -1)) {
      String t = line.trim();
      if (t.startsWith("[")) {
        section = t;
      }
      if (section.isEmpty() && t.startsWith("root = ")) {
        line = "root = \"" + d + "/root\"";
      } else if (section.isEmpty() && t.startsWith("state = ")) {
        line = "state = \"" + d + "/state\"";
      } else if ((section.equals("[grpc]")
              || section.equals("[plugins.'io.containerd.server.v1.grpc']"))
          && t.startsWith("address = ")) {
        line = "  address = \"" + d + "/c.sock\"";
      } else if (t.startsWith("path = \"/opt/containerd\"")
          || t.startsWith("path = '/opt/containerd'")) {
        line = "    path = \"" + d + "/opt\"";
      } else if ((section.equals("[ttrpc]")
              || section.equals("[plugins.'io.containerd.server.v1.ttrpc']"))
          && t.startsWith("address = ")) {
        line = "  address = \"" + d + "/c.sock.ttrpc\"";
      } else if (section.isEmpty() && t.startsWith("imports = ")) {
        line = "imports = []"; // nothing of the machine's own configuration
      } else if (section.equals("[plugins.'io.containerd.nri.v1.nri']")
          && t.startsWith("disable = ")) {
        line = "    disable = true";
      }
      out.append(line).append('\n');
    }
    return out.toString();
  }

  private void awaitReady() throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("containerd exited with " + process.exitValue());
      }
      if (Files.exists(socket()) && ctr("version").exit() == 0) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("containerd not ready within 60 s");
  }

  public Path socket() {
    return dir.resolve("c.sock");
  }

  public long pid() {
    return process.pid();
  }

  public EngineDir dir() {
    return dir;
  }

  /** ctr against this containerd, in the k8s.io namespace. */
  public Sh.Result ctr(String... args) {
    List<String> cmd = new ArrayList<>(List.of(CTR, "-a", socket().toString(), "-n", NAMESPACE));
    cmd.addAll(Arrays.asList(args));
    return Sh.run(cmd, Map.of(), null, Duration.ofMinutes(2));
  }

  public String ctrOk(String... args) {
    return ctr(args).orThrow().out().trim();
  }

  /**
   * Imports a docker-save tarball or an OCI layout archive, then waits until the CRI plugin has
   * handled every image of the namespace ({@link #awaitCriLabels}): a test reads or removes the
   * store as the node's kubelet would leave it, never while the CRI is still naming it.
   */
  public void importArchive(Path archive) {
    ctrOk("images", "import", "--all-platforms", archive.toString());
    awaitCriLabels(() -> ctrOk("images", "ls"));
  }

  /**
   * Waits until the CRI plugin has handled every image {@code ctr images ls} lists (the {@code
   * listing} it prints): each name carries its {@code io.cri-containerd.image=managed} label and
   * each target has its image-ID name ({@code sha256:<config digest>}). The CRI does both from the
   * image events, by reading the image and creating the names again, on 1.6 and 2.x alike: an image
   * removed before its event is handled comes back, and a store read before it misses the ID names.
   */
  public static void awaitCriLabels(Supplier<String> listing) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    List<String> unhandled = List.of();
    while (System.nanoTime() < deadline) {
      unhandled = criUnhandled(listing.get());
      if (unhandled.isEmpty()) return;
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("images the CRI plugin did not handle: " + unhandled);
  }

  /** The lines of a {@code ctr images ls} listing without the CRI's label or image-ID name. */
  static List<String> criUnhandled(String listing) {
    List<String> lines = listing.lines().skip(1).filter(l -> !l.isBlank()).toList();
    Set<String> targetsWithIdName =
        lines.stream()
            .filter(l -> l.startsWith("sha256:"))
            .map(l -> l.split("\\s+")[2])
            .collect(Collectors.toSet());
    return lines.stream()
        .filter(
            l ->
                !l.contains("io.cri-containerd.image=managed")
                    || !targetsWithIdName.contains(l.split("\\s+")[2]))
        .toList();
  }

  /** Every image name with its target digest, sorted: {@code <name> <digest>}. */
  public List<String> imageListing() {
    String out = ctrOk("images", "ls");
    return out.lines()
        .skip(1)
        .map(l -> l.split("\\s+"))
        .map(f -> f[0] + " " + f[2])
        .sorted()
        .toList();
  }

  /**
   * Gives an image one more name (containerd names are fully normalized: docker.io/library/a:1).
   */
  public void tag(String source, String target) {
    ctrOk("images", "tag", "--force", source, target); // like docker tag: moves an existing name
  }

  public void removeName(String name) {
    ctrOk("images", "rm", name);
  }

  /** The digest a name points at (its manifest or index). */
  public String targetOf(String name) {
    return imageListing().stream()
        .filter(l -> l.startsWith(name + " "))
        .findFirst()
        .orElseThrow(
            () -> new IllegalStateException("no image named " + name + " in " + imageListing()))
        .split(" ")[1];
  }

  /**
   * A container without a task (containerd's "created": docker counts it as stopped); returns its
   * ID.
   */
  public String createContainer(String image, String id) {
    ctrOk("containers", "create", image, id, "/bin/busybox", "true");
    return id;
  }

  /** A running container with a task (busybox sleep); returns its ID. */
  public String runContainer(String image, String id) {
    // runc's state would default to /run/containerd/runc, shared by every containerd on the
    // machine.
    ctrOk(
        "run",
        "-d",
        "--runc-root",
        dir.resolve("runc").toString(),
        image,
        id,
        "/bin/busybox",
        "sleep",
        "100000");
    return id;
  }

  /**
   * Runs containerd's garbage collection now, by a synchronous delete of a throwaway name: what an
   * import or an earlier step left unreferenced goes at once, not in a background collection during
   * a test's measurement (2.x schedules its own later than 1.6 did).
   */
  public void collectGarbage() {
    List<String> images = imageListing();
    if (images.isEmpty()) return;
    tag(images.get(0).split(" ")[0], "docker.io/library/settle-gc:1");
    ctrOk("images", "rm", "--sync", "docker.io/library/settle-gc:1");
  }

  /** Kills a container's task, if it has one, and deletes the container. */
  public void removeContainer(String id) {
    if (ctr("tasks", "kill", "-s", "SIGKILL", id).exit() == 0) {
      for (int i = 0; i < 50 && ctr("tasks", "delete", id).exit() != 0; i++) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }
    ctrOk("containers", "delete", id);
  }

  /** Stops and removes every container and every image name, leaving an empty namespace. */
  public void reset() {
    removeContainers();
    for (String name : ctrOk("images", "ls", "-q").lines().filter(l -> !l.isBlank()).toList()) {
      ctr("images", "rm", "--sync", name);
    }
  }

  private void removeContainers() {
    try {
      for (String task :
          ctr("tasks", "ls", "-q").out().trim().lines().filter(s -> !s.isBlank()).toList()) {
        ctr("tasks", "kill", "-s", "SIGKILL", task);
        for (int i = 0; i < 50 && ctr("tasks", "delete", task).exit() != 0; i++) {
          Thread.sleep(100);
        }
      }
      for (String c :
          ctr("containers", "ls", "-q").out().trim().lines().filter(s -> !s.isBlank()).toList()) {
        ctr("containers", "delete", c);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    try {
      removeContainers();
    } catch (RuntimeException e) {
      // the daemon may already be gone; the folder sweep still stops what is ours
    }
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
}
