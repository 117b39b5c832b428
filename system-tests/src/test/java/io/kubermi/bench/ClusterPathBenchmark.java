package io.kubermi.bench;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.ImageRemovalSpec;
import io.kubermi.api.ImageRemovalStatus;
import io.kubermi.api.RemovalPhase;
import io.kubermi.cluster.TestCluster;
import io.kubermi.faults.ImageArchive;
import io.kubermi.faults.InClusterProcess;
import io.kubermi.testing.ContainerdDaemon;
import io.kubermi.testing.CurrentDockerCli;
import io.kubermi.testing.DockerDaemon;
import io.kubermi.testing.Engines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Benchmark (not a test): apply → Succeeded of one ImageRemoval of N images on one real Docker node
 * and on one real containerd node, with the operator and both agents as their own JVMs (the chart's
 * JVM options) on the embedded API server, against the engine's own tool removing the same images
 * in the same run: one {@code docker rmi} call (the current CLI) and one {@code ctr images rm
 * --sync} of every name the images have (tags and the CRI plugin's ID names). The images, {@code
 * bench:0..N-1}, are written as one archive ({@link ImageArchive}), each of its own layers (one by
 * default). Rounds alternate; each reloads the images first. Run by
 * system-tests/src/bench/cluster-path-benchmark.sh.
 */
public final class ClusterPathBenchmark {
  private static final String DOCKER_NODE = "docker-node";
  private static final String CONTAINERD_NODE = "containerd-node";
  private static final int MAX_IMAGES = 256;
  // -Dbench.timeline=true: each round's API writes with their times (ApiTimeline).
  private static ApiTimeline timeline;

  public static void main(String[] args) throws Exception {
    int images = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int layers = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    List<String> agentOptions = options("agent.javaOptions");
    List<String> operatorOptions = options("operator.javaOptions");
    try (Engines engines = new Engines();
        TestCluster cluster = TestCluster.onMock()) {
      DockerDaemon docker = engines.docker("cpd");
      ContainerdDaemon containerd = engines.containerd("cpc");
      Path archive = ImageArchive.write(docker.dir().path(), "bench", images, layers).tar();
      List<String> refs = IntStream.range(0, images).mapToObj(i -> "bench:" + i).toList();
      cluster.addNode(DOCKER_NODE, Map.of("engine", "docker"));
      cluster.addNode(CONTAINERD_NODE, Map.of("engine", "containerd"));
      Map<String, String> api = apiEnv(cluster);
      Path logs =
          Files.createDirectories(
              Path.of(System.getProperty("bench.logs", docker.dir().path().toString())));
      Map<String, String> dockerAgent = agentEnv(api, DOCKER_NODE, logs.resolve("j-docker"));
      dockerAgent.put("KUBE_RMI_ENGINE", "docker");
      dockerAgent.put("KUBE_RMI_DOCKER_SOCKETS", docker.socket().toString());
      Map<String, String> containerdAgent =
          agentEnv(api, CONTAINERD_NODE, logs.resolve("j-containerd"));
      containerdAgent.put("KUBE_RMI_ENGINE", "containerd");
      containerdAgent.put("KUBE_RMI_CONTAINERD_SOCKETS", containerd.socket().toString());
      Map<String, String> operatorEnv = new HashMap<>(api);
      operatorEnv.put("KUBE_RMI_METRICS_PORT", "0");
      operatorEnv.put("KUBE_RMI_LEASE_NAMESPACE", "kube-rmi");
      try (InClusterProcess operator =
              new InClusterProcess(
                      "operator", operatorEnv, logs.resolve("operator.log"), operatorOptions)
                  .start();
          InClusterProcess a1 =
              new InClusterProcess(
                      "agent", dockerAgent, logs.resolve("agent-docker.log"), agentOptions)
                  .start();
          InClusterProcess a2 =
              new InClusterProcess(
                      "agent", containerdAgent, logs.resolve("agent-containerd.log"), agentOptions)
                  .start()) {
        Timings t = new Timings();
        if (Boolean.getBoolean("bench.timeline")) timeline = new ApiTimeline(cluster);
        for (int i = 1; i <= rounds; i++) {
          int round = i;
          Step load = () -> docker.dockerOk("load", "-q", "-i", archive.toString());
          t.add("(setup) docker load of the archive", timed(load));
          t.add("one docker rmi call (current CLI)", timed(() -> dockerRmi(docker, refs)));
          t.add("(setup) docker load of the archive", timed(load));
          t.add(
              "ImageRemovals on the Docker node",
              timed(() -> applyAndWait(cluster, "d" + round, refs, "docker")));
          assertNoneLeft(docker.imageListing(), "docker");

          Step importArchive = () -> containerd.importArchive(archive);
          t.add("(setup) ctr images import of the archive", timed(importArchive));
          List<String> names = everyName(containerd);
          t.add("one ctr images rm --sync", timed(() -> ctrRm(containerd, names)));
          assertNoneLeft(containerd);
          t.add("(setup) ctr images import of the archive", timed(importArchive));
          t.add(
              "ImageRemovals on the containerd node",
              timed(() -> applyAndWait(cluster, "c" + round, refs, "containerd")));
          assertNoneLeft(containerd);
        }
        System.out.printf(
            "images: %d of %d layer(s) each, rounds: %d, agent JVM options: %s, operator JVM"
                + " options: %s%n",
            images,
            layers,
            rounds,
            String.join(" ", agentOptions),
            String.join(" ", operatorOptions));
        t.print();
      }
    }
  }

  private static void dockerRmi(DockerDaemon docker, List<String> refs) {
    List<String> args = new ArrayList<>(List.of("rmi"));
    args.addAll(refs);
    CurrentDockerCli.run(docker, args).orThrow();
  }

  /**
   * Every name the node's images have: the tags and the {@code sha256:<ID>} name containerd's CRI
   * plugin gives each image it imports. Deleting only the tags would leave every image (and its
   * content and snapshots) in place, where {@code docker rmi} of a last tag removes the image.
   */
  private static List<String> everyName(ContainerdDaemon containerd) {
    return containerd.imageListing().stream().map(l -> l.split(" ")[0]).toList();
  }

  private static void ctrRm(ContainerdDaemon containerd, List<String> names) {
    List<String> args = new ArrayList<>(List.of("images", "rm", "--sync"));
    args.addAll(names);
    containerd.ctrOk(args.toArray(String[]::new));
  }

  /**
   * Applies the images as ImageRemovals of at most 256 (the API's limit per resource), split evenly
   * and created together, and polls every 10 ms until all are finished; each must succeed.
   */
  private static void applyAndWait(
      TestCluster cluster, String name, List<String> refs, String engine)
      throws InterruptedException {
    int parts = (refs.size() + MAX_IMAGES - 1) / MAX_IMAGES;
    List<String> names = new ArrayList<>();
    if (timeline != null) timeline.mark();
    for (int p = 0; p < parts; p++) {
      ImageRemoval r = new ImageRemoval();
      r.getMetadata().setName(name + "-" + p);
      ImageRemovalSpec spec = new ImageRemovalSpec();
      spec.setImages(refs.subList(refs.size() * p / parts, refs.size() * (p + 1) / parts));
      LabelSelector selector = new LabelSelector();
      selector.setMatchLabels(Map.of("engine", engine));
      spec.setNodeSelector(selector);
      r.setSpec(spec);
      cluster.client().resource(r).create();
      names.add(r.getMetadata().getName());
    }
    long deadline = System.nanoTime() + 600_000_000_000L;
    List<String> waiting = new ArrayList<>(names);
    while (!waiting.isEmpty() && System.nanoTime() < deadline) {
      ImageRemovalStatus s =
          cluster.client().resources(ImageRemoval.class).withName(waiting.get(0)).get().getStatus();
      if (s != null && s.getPhase() != null && s.getPhase().isFinished()) {
        if (s.getPhase() != RemovalPhase.Succeeded) {
          throw new IllegalStateException(
              waiting.get(0) + " ended " + s.getPhase() + ": " + s.getConditions());
        }
        waiting.remove(0);
        continue;
      }
      Thread.sleep(10);
    }
    if (!waiting.isEmpty()) throw new IllegalStateException(waiting + " not finished in 10 min");
    if (timeline != null) {
      System.out.printf("API writes of %s (%s), seconds since the first create:%n", name, engine);
      timeline.lines().forEach(l -> System.out.println("  " + l));
    }
  }

  /** The containerd node holds only the benchmark's images: no name of any may be left. */
  private static void assertNoneLeft(ContainerdDaemon containerd) {
    List<String> left = containerd.imageListing();
    if (!left.isEmpty()) {
      throw new IllegalStateException(left.size() + " image names left on containerd: " + left);
    }
  }

  private static void assertNoneLeft(List<String> listing, String engine) {
    long left = listing.stream().filter(l -> l.contains("bench:")).count();
    if (left > 0) throw new IllegalStateException(left + " bench images left on " + engine);
  }

  private static Map<String, String> apiEnv(TestCluster cluster) {
    Map<String, String> env = new HashMap<>();
    env.put("KUBERNETES_MASTER", cluster.client().getMasterUrl().toString());
    env.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
    env.put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
    env.put("KUBERNETES_TRUST_CERTIFICATES", "true");
    return env;
  }

  private static Map<String, String> agentEnv(Map<String, String> api, String node, Path journal)
      throws java.io.IOException {
    Map<String, String> env = new HashMap<>(api);
    env.put("NODE_NAME", node);
    env.put("KUBE_RMI_METRICS_PORT", "0");
    env.put("KUBE_RMI_JOURNAL_DIR", Files.createDirectories(journal).toString());
    return env;
  }

  private static List<String> options(String property) {
    String value = System.getProperty(property, "").trim();
    return value.isEmpty() ? List.of() : Arrays.asList(value.split("\\s+"));
  }

  private interface Step {
    void run() throws Exception;
  }

  private static double timed(Step step) throws Exception {
    long t0 = System.nanoTime();
    step.run();
    return (System.nanoTime() - t0) / 1e9;
  }
}
