package io.kubermi.cli;

import io.kubermi.agent.cli.CommandLines;
import io.kubermi.agent.engine.Engine;
import io.kubermi.agent.engine.ProtectedImages;
import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.agent.engine.store.StoredContainer;
import io.kubermi.agent.engine.store.StoredImage;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.reference.DockerReference;
import io.kubermi.api.reference.InvalidReferenceException;
import io.kubermi.cli.local.LocalRun;
import io.kubermi.cli.local.RemovalFile;
import io.kubermi.cli.simulated.SimulatedEngine;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kube-rmi demo}: the whole pipeline in one process with nothing installed. Three simulated
 * nodes hold the images of the docker rmi documentation; node-b also runs a container from them and
 * node-c only has the busybox image pulled by digest. Applies examples/demo.yaml. Exit 0 when every
 * removal finished (its conflicts are part of the show), 1 on a timeout, 2 on bad input.
 */
final class DemoCommand {
  static final String TEST_ID =
      "sha256:fd484f19954f4b6c5a2f4ab6c2a5e1d6f0e9b2a1c3d4e5f60718293a4b5c6d7e";
  static final String BUSYBOX_DIGEST =
      "sha256:cbbf2f9a99b47fc460d422812b6a5adff7dfee951d8fa2e4a98caa0382cfbdbf";
  static final String BUSYBOX_ID =
      "sha256:4986bf8c15363d1c5d15512d5266f8777bfba4974ac56e3270e7760f6f0a8125";

  @Command(
      name = "kube-rmi demo",
      description = {
        "Run the ImageRemovals of FILE (default examples/demo.yaml) on three simulated nodes,"
            + " with an embedded API server, the operator and agents in this process, and print"
            + " each node's lines.",
        ""
      },
      footer = {"", "Exit codes: 0 every removal finished, 1 a timeout, 2 invalid input."})
  static final class Options {
    @Option(
        names = {"-f", "--filename"},
        paramLabel = "FILE",
        description = "The ImageRemovals (YAML; default examples/demo.yaml).")
    String file;

    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Print this help.")
    boolean help;
  }

  private DemoCommand() {}

  static String help() {
    return CommandLines.help(new Options());
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (CommandLines.asksForHelp(args)) {
      out.print(help());
      return 0;
    }
    String file;
    try {
      Options o = CommandLines.parse(new Options(), args);
      file = o.file == null ? demoFile() : o.file;
    } catch (IllegalArgumentException e) {
      err.println("kube-rmi demo: " + e.getMessage());
      err.println("See 'kube-rmi demo --help'.");
      return Main.EXIT_USAGE;
    }
    List<ImageRemoval> removals;
    try {
      removals = RemovalFile.read(Path.of(file));
    } catch (RemovalFile.InvalidInput e) {
      err.println("kube-rmi demo: invalid input, nothing applied:\n" + e.getMessage());
      return Main.EXIT_USAGE;
    }
    Map<String, Engine> nodes = new LinkedHashMap<>();
    nodes.put("node-a", docsNode("a"));
    nodes.put("node-b", docsNode("b"));
    nodes.put("node-c", docsNode("c"));
    // The demo shows conflicts on purpose: it succeeds when every removal finished; 1 only on a
    // timeout.
    return LocalRun.run(nodes, removals, Duration.ofSeconds(60), "text", out, err).allFinished()
        ? 0
        : 1;
  }

  /**
   * examples/demo.yaml of the checkout: under KUBE_RMI_HOME (the launcher sets it), else above the
   * working directory.
   */
  static String demoFile() {
    String home = System.getenv("KUBE_RMI_HOME");
    if (home != null) return home + "/examples/demo.yaml";
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (dir.resolve("examples/demo.yaml").toFile().isFile())
        return dir.resolve("examples/demo.yaml").toString();
    }
    return "examples/demo.yaml";
  }

  /**
   * a: test, test1, test2 on one image; b: the same plus a running container; c: busybox pulled by
   * digest.
   */
  static SimulatedEngine docsNode(String kind) {
    ImageStoreModel m = new ImageStoreModel();
    if (!kind.equals("c")) {
      m.addImage(new StoredImage(TEST_ID, null, List.of("sha256:" + "a1".repeat(32)), 4_964_000));
      for (String r : List.of("test:latest", "test1:latest", "test2:latest"))
        m.addReference(ref(r), TEST_ID);
      if (kind.equals("b"))
        m.addContainer(new StoredContainer("3c0a1b2e" + "0".repeat(56), TEST_ID, true));
    } else {
      // Layers bottom to top, so the deletion prints them as the docs do: ea13149945cb, then
      // df7546f9f060.
      m.addImage(
          new StoredImage(
              BUSYBOX_ID,
              null,
              List.of(
                  "sha256:df7546f9f060a2268024c8a230d8639878585defcc1bc6f79d2728a13957871b",
                  "sha256:ea13149945cb6b1e746bf28032f02e9b5a793523481a0a18645fc77ad53c4ea2"),
              2_433_000));
      m.addReference(ref("localhost:5000/test/busybox@" + BUSYBOX_DIGEST), BUSYBOX_ID);
    }
    return new SimulatedEngine(m, new ProtectedImages(ProtectedImages.DEFAULT_PATTERNS));
  }

  private static DockerReference ref(String s) {
    try {
      return DockerReference.parseNormalizedNamed(s);
    } catch (InvalidReferenceException e) {
      throw new IllegalStateException(e);
    }
  }
}
