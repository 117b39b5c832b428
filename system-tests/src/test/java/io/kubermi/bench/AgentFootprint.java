package io.kubermi.bench;

import io.kubermi.api.ImageRemoval;
import io.kubermi.api.ImageRemovalSpec;
import io.kubermi.cluster.TestCluster;
import io.kubermi.faults.ImageEnvironment;
import io.kubermi.image.ImageBuild;
import io.kubermi.testing.DockerDaemon;
import io.kubermi.testing.Engines;
import io.kubermi.testing.Sh;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Benchmark (not a test): the agent as its own JVM with the chart's JVM options, against a real
 * Docker daemon and the embedded API server. Prints its resident memory idle and at the peak of
 * removing N images, and the CPU it used while idle; with {@code -Dagent.image=true}, the agent
 * runs in its container image (built with --local-base) on that daemon. Run by
 * system-tests/src/bench/agent-footprint.sh.
 */
public final class AgentFootprint {
  public static void main(String[] args) throws Exception {
    int images = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    // agent-footprint.sh passes the chart's agent.javaOptions.
    String javaOptions = System.getProperty("agent.javaOptions", "");
    // agent-footprint.sh --image: the agent in its container image instead of a JVM on the host.
    boolean inImage = Boolean.getBoolean("agent.image");
    try (Engines engines = new Engines()) {
      DockerDaemon docker = engines.docker("foot");
      Path src = Files.createDirectories(docker.dir().resolve("src"));
      IntStream.range(0, images)
          .parallel()
          .forEach(
              i -> {
                try {
                  Path d = Files.createDirectories(src.resolve("i" + i));
                  Files.writeString(d.resolve("id"), i + "\n");
                  Sh.run(List.of("tar", "-C", d.toString(), "-cf", d + ".tar", "id")).orThrow();
                  docker.dockerOk("import", d + ".tar", "bench:" + i);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      try (TestCluster cluster = TestCluster.onMock()) {
        cluster.addNode("bench", Map.of());
        cluster.startOperator();
        Map<String, String> env =
            Map.of(
                "KUBERNETES_MASTER",
                cluster.client().getMasterUrl().toString(),
                "NODE_NAME",
                "bench",
                "KUBE_RMI_ENGINE",
                "docker",
                "KUBE_RMI_DOCKER_SOCKETS",
                inImage ? "/host/engine.sock" : docker.socket().toString(),
                "KUBE_RMI_METRICS_PORT",
                "0",
                "KUBERNETES_AUTH_TRYKUBECONFIG",
                "false",
                "KUBERNETES_AUTH_TRYSERVICEACCOUNT",
                "false");
        Process process = null;
        long pid;
        if (inImage) {
          // The image, on the same daemon: its own image is protected, the bench images are not.
          String image = ImageBuild.build(docker, Path.of("."), false).get(1);
          List<String> run =
              new ArrayList<>(
                  List.of(
                      "run",
                      "-d",
                      "--name",
                      "foot-agent",
                      "--network",
                      "host",
                      "--read-only",
                      "--tmpfs",
                      "/tmp",
                      "--cap-drop",
                      "ALL",
                      "--security-opt",
                      "no-new-privileges",
                      "--user",
                      "0:0",
                      "--memory",
                      "192m",
                      "-v",
                      docker.socket() + ":/host/engine.sock",
                      "-e",
                      "JAVA_TOOL_OPTIONS=" + javaOptions));
          env.forEach((k, v) -> run.addAll(List.of("-e", k + "=" + v)));
          run.addAll(List.of(image, "agent"));
          docker.dockerOk(run.toArray(String[]::new));
          pid = Long.parseLong(docker.dockerOk("inspect", "-f", "{{.State.Pid}}", "foot-agent"));
        } else {
          List<String> cmd =
              new ArrayList<>(
                  List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
          if (!javaOptions.isBlank()) cmd.addAll(Arrays.asList(javaOptions.trim().split("\\s+")));
          // The agent module's own jar and class path, as its image runs it.
          cmd.addAll(List.of("-jar", System.getProperty("agent.jar"), "agent"));
          ProcessBuilder pb =
              new ProcessBuilder(cmd)
                  .redirectErrorStream(true)
                  .redirectOutput(docker.dir().resolve("agent.log").toFile());
          pb.environment().putAll(ImageEnvironment.malloc());
          pb.environment().putAll(env);
          process = pb.start();
          pid = process.pid();
        }
        try {
          Thread.sleep(15_000);
          if (process != null && !process.isAlive()) {
            throw new IllegalStateException(
                "the agent exited with "
                    + process.exitValue()
                    + ":\n"
                    + Files.readString(docker.dir().resolve("agent.log")));
          }
          long idleRss = ImageBuild.rssKib(pid);
          long cpu0 = cpuTicks(pid);
          Thread.sleep(10_000);
          long idleCpuTicks = cpuTicks(pid) - cpu0;
          long idleRss2 = ImageBuild.rssKib(pid);

          long start = System.nanoTime();
          for (int from = 0; from < images; from += 250) {
            ImageRemoval r = new ImageRemoval();
            r.getMetadata().setName("foot-" + from);
            ImageRemovalSpec spec = new ImageRemovalSpec();
            spec.setImages(
                IntStream.range(from, Math.min(images, from + 250))
                    .mapToObj(i -> "bench:" + i)
                    .toList());
            r.setSpec(spec);
            cluster.client().resource(r).create();
          }
          long peak = 0;
          while (System.nanoTime() - start < 600_000_000_000L) {
            peak = Math.max(peak, ImageBuild.rssKib(pid));
            boolean done =
                cluster.client().resources(ImageRemoval.class).list().getItems().stream()
                    .allMatch(
                        x ->
                            x.getStatus() != null
                                && x.getStatus().getPhase() != null
                                && x.getStatus().getPhase().isFinished());
            if (done) break;
            Thread.sleep(100);
          }
          double seconds = (System.nanoTime() - start) / 1e9;
          long left = docker.imageListing().stream().filter(l -> l.contains(" bench:")).count();
          System.out.printf(
              "agent %s, JVM options: %s%n",
              inImage ? "in its container image" : "as a JVM on the host", javaOptions);
          System.out.printf(
              "idle: RSS %.1f MiB after 15 s, %.1f MiB after 25 s; CPU used in 10 s idle: %d ms%n",
              idleRss / 1024.0, idleRss2 / 1024.0, idleCpuTicks * 10);
          System.out.printf(
              "removing %d images: %.2f s, peak RSS %.1f MiB, bench images left %d%n",
              images, seconds, peak / 1024.0, left);
        } finally {
          if (process != null) process.destroy();
          else docker.docker("rm", "-f", "foot-agent");
        }
      }
    }
  }

  /** user + system time in clock ticks (1/100 s). */
  private static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }
}
