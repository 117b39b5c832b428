package io.kubermi.cli.plugin;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.ImageRemovalSpec;
import io.kubermi.api.validation.SpecValidator;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What both plugins do once their flags are read: the ImageRemoval made from them, checked as the
 * API server would, created in the cluster of the kubeconfig, then followed to its end.
 */
abstract class PluginCommand implements Callable<Integer> {
  static final int EXIT_USAGE = 2;

  @Mixin ClusterOptions cluster;

  @Option(
      order = 90,
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit; nothing is created.")
  boolean help;

  private final PrintStream out;
  private final PrintStream err;

  PluginCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** docker's own flags made into the spec; IllegalArgumentException names a flag and value. */
  abstract ImageRemovalSpec spec();

  /** The command as the user typed it: {@code kubectl rmi}. */
  abstract String commandName();

  /** The prefix of a generated name: {@code rmi-}. */
  abstract String generatedName();

  @Override
  public Integer call() throws Exception {
    ImageRemoval removal;
    try {
      cluster.checkOutput();
      ImageRemovalSpec spec = spec();
      cluster.applyTo(spec);
      List<String> problems = SpecValidator.validate(spec);
      if (!problems.isEmpty()) {
        problems.forEach(p -> err.println(commandName() + ": " + p));
        return EXIT_USAGE;
      }
      removal = new ImageRemoval();
      removal.setMetadata(
          cluster.name != null
              ? new ObjectMetaBuilder().withName(cluster.name).build()
              : new ObjectMetaBuilder().withGenerateName(generatedName()).build());
      removal.setSpec(spec);
      cluster.timeout();
    } catch (IllegalArgumentException e) {
      err.println(commandName() + ": " + e.getMessage());
      return EXIT_USAGE;
    }
    try (KubernetesClient client = cluster.client()) {
      ImageRemoval created = client.resource(removal).create();
      String name = created.getMetadata().getName();
      if (!cluster.await) {
        out.println("imageremoval.kube-rmi.io/" + name + " created");
        return 0;
      }
      // Other formats print the finished object alone; the nodes are still read for the exit.
      boolean text = cluster.output.equals("text");
      PrintStream none = new PrintStream(OutputStream.nullOutputStream());
      RemovalFollower follower = new RemovalFollower(client, text ? out : none, text ? err : none);
      ImageRemoval done = follower.follow(created, cluster.timeout());
      if (done == null) {
        err.println(
            commandName()
                + ": imageremoval/"
                + name
                + " has not finished after "
                + cluster.timeout
                + "; it goes on: kubectl get imageremoval "
                + name);
        return 1;
      }
      follower.printSummary(done);
      if (!text) {
        var serialization = client.getKubernetesSerialization();
        out.print(
            cluster.output.equals("yaml")
                ? serialization.asYaml(done)
                : serialization.asJson(done) + "\n");
      }
      return follower.exitCode();
    } catch (KubernetesClientException e) {
      err.println(commandName() + ": " + apiError(e));
      return 1;
    }
  }

  private static String apiError(KubernetesClientException e) {
    if (e.getStatus() != null && e.getStatus().getMessage() != null) {
      return e.getStatus().getMessage();
    }
    return e.getMessage();
  }
}
