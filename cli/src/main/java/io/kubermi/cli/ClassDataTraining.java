package io.kubermi.cli;

import io.kubermi.cli.training.StandInEngines;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * The launcher's training run for its class-data-sharing archive: runs {@code rmi} and {@code
 * prune} against engines that are not there (a path that cannot exist, so nothing is touched), then
 * against in-process stand-ins that answer as engines holding one image ({@link StandInEngines}),
 * and the {@code demo} on simulated nodes, so the classes those load are archived once, parsed and
 * verified, and later starts map them instead of loading them from the jars. No real engine is
 * contacted. Output is discarded; the exit status is 0 even though the commands against missing
 * engines fail, as they must.
 */
public final class ClassDataTraining {
  private static final String NOWHERE = "/nonexistent-kube-rmi-training";

  private ClassDataTraining() {}

  public static void main(String[] args) {
    PrintStream nothing = new PrintStream(OutputStream.nullOutputStream());
    String docker = "unix://" + NOWHERE + "/docker.sock";
    String containerd = NOWHERE + "/containerd.sock";
    Main.run(new String[] {"rmi", "--docker-host", docker, "training:1"}, nothing, nothing);
    Main.run(
        new String[] {"rmi", "--containerd-address", containerd, "training:1"}, nothing, nothing);
    Main.run(new String[] {"prune", "-a", "--docker-host", docker}, nothing, nothing);
    Main.run(new String[] {"prune", "-a", "--containerd-address", containerd}, nothing, nothing);
    try {
      StandInEngines.train(command -> Main.run(command, nothing, nothing));
    } catch (RuntimeException | LinkageError e) {
      // Best effort: without the stand-ins (no epoll outside Linux, say) the archive still holds
      // the rest.
    }
    if (args.length > 0 && args[0].equals("--with-demo")) {
      Main.run(new String[] {"demo"}, nothing, nothing);
    }
    System.exit(0);
  }
}
