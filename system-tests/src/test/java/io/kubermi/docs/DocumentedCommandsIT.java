package io.kubermi.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.NodeLabel;
import io.kubermi.cluster.ClusterFixtures;
import io.kubermi.cluster.TestCluster;
import io.kubermi.controlplane.ChartIdentities;
import io.kubermi.controlplane.ControlPlane;
import io.kubermi.controlplane.UpstreamBinaries;
import io.kubermi.testing.Sh;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every kubectl and helm command of the README, docs/ and the chart's NOTES, run as written by the
 * real kubectl (the upstream build's) and the real helm against the real control plane, as a
 * cluster administrator, in the order a user would: install, apply, follow, troubleshoot, upgrade,
 * uninstall. The chart's pods do not run here (there is no kubelet); the operator and two agents on
 * simulated nodes run in this JVM in their place. A documented command this test does not run fails
 * it.
 */
class DocumentedCommandsIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final String REMOVAL = "untag-test1";

  private final Set<String> ran = new LinkedHashSet<>();
  private Path kubeconfig;
  private String path;

  @Test
  void everyDocumentedKubectlAndHelmCommandWorks() throws IOException {
    ControlPlane controlPlane = ControlPlane.shared();
    kubeconfig = controlPlane.kubeconfig("documented-commands", controlPlane.adminToken());
    // The README's way to the kubectl plugins: the repository's plugins/ on PATH.
    // krew as kubectl finds it: an executable kubectl-krew on PATH; its plugins start afresh.
    Sh.run(List.of("rm", "-rf", ROOT.resolve("system-tests/target/krew-root").toString()))
        .orThrow();
    Path krewBin = Files.createDirectories(ROOT.resolve("system-tests/target/krew-bin"));
    Files.deleteIfExists(krewBin.resolve("kubectl-krew"));
    Files.createSymbolicLink(
        krewBin.resolve("kubectl-krew"), UpstreamBinaries.require().resolve("krew"));
    path =
        ROOT.resolve("plugins")
            + ":"
            + krewBin
            + ":"
            + UpstreamBinaries.require()
            + ":"
            + System.getenv("PATH");
    Set<String> documented = DocumentedCommands.all(ROOT);
    assertThat(documented)
        .as("the extractor finds the docs' commands")
        .hasSizeGreaterThanOrEqualTo(12)
        .contains(
            "kubectl get irm",
            "helm uninstall kube-rmi --namespace kube-rmi",
            "kubectl explain imageremoval.spec");
    System.out.println(
        "DocumentedCommandsIT: "
            + documented.size()
            + " documented kubectl/helm commands:\n  "
            + String.join("\n  ", documented));
    // The chart's identities may be on the server from other tests: marked as the release's, so
    // that the install below takes them over as helm does its own.
    ChartIdentities identities = ChartIdentities.apply(controlPlane);
    try (TestCluster cluster = new TestCluster();
        HelmProcess helm =
            new HelmProcess(kubeconfig, ROOT, ROOT.resolve("system-tests/target/jna"))) {
      cluster.addNode("node-a", Map.of()).addNode("node-b", Map.of());

      // README quick start, line by line
      List<String> quickStart =
          DocumentedCommands.blockAfter(ROOT.resolve("README.md"), "In a cluster");
      assertThat(quickStart).hasSize(4);
      String notes = helm(helm, quickStart.get(0));
      assertThat(
              cluster
                  .client()
                  .apps()
                  .deployments()
                  .inNamespace("kube-rmi")
                  .withName("kube-rmi-operator")
                  .get())
          .isNotNull();
      assertThat(
              cluster
                  .client()
                  .apps()
                  .daemonSets()
                  .inNamespace("kube-rmi")
                  .withName("kube-rmi-agent")
                  .get())
          .isNotNull();
      startPods(cluster, identities);
      assertThat(kubectl(quickStart.get(1)))
          .isEqualTo("imageremoval.kube-rmi.io/" + REMOVAL + " created");
      assertThat(kubectl(quickStart.get(2))).contains(REMOVAL);
      assertThat(kubectl(quickStart.get(3)))
          .isEqualTo("imageremoval.kube-rmi.io/" + REMOVAL + " condition met");

      // The same through the kubectl plugins, as the README shows next
      List<String> plugins =
          DocumentedCommands.blockAfter(ROOT.resolve("README.md"), "As with docker");
      assertThat(plugins).hasSize(2);
      assertThat(kubectl(plugins.get(0)))
          .contains("node node-a:\nUntagged: test2:latest\nnode node-b:\nUntagged: test2:latest")
          .endsWith(": Succeeded (2/2 nodes succeeded)");
      assertThat(kubectl(plugins.get(1)))
          .contains("node node-a:", "node node-b:", "Total reclaimable space: ")
          .contains(", total reclaimable space: ");

      // The plugins packed for krew and installed by it, as operations.md shows
      List<String> krew =
          DocumentedCommands.blockAfter(
              ROOT.resolve("docs/operations.md"), "## The kubectl plugins");
      assertThat(krew).hasSize(3);
      assertThat(run(krew.get(0))).endsWith("target/krew/kube-rmi-plugins-v0.1.0.tar.gz");
      kubectl(krew.get(1)); // krew tells on stderr; what it installed is checked below
      kubectl(krew.get(2));
      Path installed = ROOT.resolve("system-tests/target/krew-root/bin");
      assertThat(installed.resolve("kubectl-rmi")).isExecutable();
      assertThat(installed.resolve("kubectl-image_prune")).isExecutable();

      // Who may remove images: the documented grant to a person, and its check
      List<String> grant =
          DocumentedCommands.blockAfter(
              ROOT.resolve("docs/operations.md"), "## Who may remove images");
      assertThat(grant).hasSize(2);
      assertThat(kubectl(grant.get(0)))
          .isEqualTo("clusterrolebinding.rbac.authorization.k8s.io/jane-kube-rmi-editor created");
      assertThat(kubectl(grant.get(1))).isEqualTo("yes");

      // Every example as it is, through kubectl, each run to its end on the simulated nodes
      List<String> applied = run("kubectl apply -f examples/").lines().toList();
      assertThat(applied)
          .hasSizeGreaterThanOrEqualTo(10)
          .allMatch(
              l ->
                  l.startsWith("imageremoval.kube-rmi.io/")
                      || l.startsWith("imageremovalschedule.kube-rmi.io/"));
      for (String line : applied) {
        if (!line.startsWith("imageremoval.kube-rmi.io/")) continue; // schedules run at night
        String name = line.substring("imageremoval.kube-rmi.io/".length()).split(" ")[0];
        ClusterFixtures.await(cluster, name, Duration.ofSeconds(60), ClusterFixtures.finished());
      }

      // The disk-cleanup guide: the schedules applied above, and their runs (none yet at night)
      List<String> schedules = kubectl("kubectl get irms").lines().toList();
      System.out.println("DocumentedCommandsIT: kubectl get irms\n" + String.join("\n", schedules));
      assertThat(schedules.get(0).split("\\s+"))
          .containsExactly("NAME", "SCHEDULE", "SUSPEND", "ACTIVE", "LAST", "NEXT", "AGE");
      assertThat(schedules)
          .anySatisfy(row -> assertThat(row).startsWith("nightly-dangling").contains("0 3 * * *"));
      assertThat(kubectl("kubectl get irm -l kube-rmi.io/schedule=nightly-dangling")).isBlank();

      // The chart's NOTES, as helm rendered them, run as a script
      String notesOutput = run(notesScript(notes));
      assertThat(notesOutput)
          .contains(
              "kube-rmi-agent",
              "imageremoval.kube-rmi.io/" + REMOVAL + " unchanged",
              "imageremoval.kube-rmi.io/" + REMOVAL + " condition met",
              NodeLabel.childName(REMOVAL, "node-a"));

      // Install check, troubleshooting, API reference, GitOps
      for (String line :
          DocumentedCommands.blockAfter(ROOT.resolve("docs/operations.md"), "## Install")) {
        if (line.startsWith("helm ")) ran.add(line); // the same install as the README's, done above
        else assertThat(kubectl(line)).contains("kube-rmi-agent");
      }
      assertThat(
              kubectl("kubectl -n kube-rmi get pods -o wide -l app.kubernetes.io/component=agent"))
          .isEmpty();
      for (String line :
          DocumentedCommands.blockAfter(
              ROOT.resolve("docs/operations.md"), "### Pod Security Standards")) {
        assertThat(kubectl(line)).contains("namespace/kube-rmi labeled");
      }
      assertThat(
              run(
                  "kubectl get nirm -l kube-rmi.io/removal=<removal>,kube-rmi.io/node=<node> -o yaml"
                      .replace("<removal>", REMOVAL)
                      .replace("<node>", "node-a")))
          .contains(
              "name: " + NodeLabel.childName(REMOVAL, "node-a"),
              "nodeName: node-a",
              "- test1:latest",
              "phase: Succeeded");
      ran.add("kubectl get nirm -l kube-rmi.io/removal=<removal>,kube-rmi.io/node=<node> -o yaml");
      assertThat(kubectlAs("kubectl wait --for=condition=Ready imageremoval/NAME", "NAME", REMOVAL))
          .endsWith("condition met");
      assertThat(kubectlAs("kubectl describe imageremoval NAME", "NAME", REMOVAL))
          .contains("Started", "Succeeded");
      assertThat(kubectl("kubectl get events --field-selector involvedObject.kind=ImageRemoval"))
          .contains(REMOVAL);
      assertThat(kubectl("kubectl explain imageremoval.spec"))
          .contains("images", "docker rmi --force");
      List<String> table = kubectl("kubectl get irm").lines().toList();
      System.out.println("DocumentedCommandsIT: kubectl get irm\n" + String.join("\n", table));
      assertThat(table.get(0).split("\\s+"))
          .containsExactly("NAME", "PHASE", "NODES", "CONFLICTS", "DELETED", "RECLAIMED", "AGE");
      assertThat(table)
          .anySatisfy(
              row ->
                  assertThat(row.split("\\s+")).startsWith(REMOVAL, "Succeeded", "2/2", "0", "0"));

      // Upgrade and uninstall
      List<String> lifecycle =
          DocumentedCommands.blockAfter(
              ROOT.resolve("docs/operations.md"), "## Upgrade and uninstall");
      assertThat(lifecycle).hasSize(4);
      assertThat(helm(helm, lifecycle.get(0))).contains("REVISION: 2");
      assertThat(kubectl(lifecycle.get(1)))
          .contains("customresourcedefinition.apiextensions.k8s.io/imageremovals.kube-rmi.io");
      helm(helm, lifecycle.get(2));
      identities.removeAdmissionPolicy(); // gone with the release; waits until it is out of force
      assertThat(
              cluster
                  .client()
                  .apps()
                  .daemonSets()
                  .inNamespace("kube-rmi")
                  .withName("kube-rmi-agent")
                  .get())
          .isNull();
      assertThat(
              cluster
                  .client()
                  .apps()
                  .deployments()
                  .inNamespace("kube-rmi")
                  .withName("kube-rmi-operator")
                  .get())
          .isNull();
      assertThat(cluster.client().resources(ImageRemoval.class).withName(REMOVAL).get())
          .as("uninstall keeps removals")
          .isNotNull();
      assertThat(cluster.client().resources(CustomResourceDefinition.class).list().getItems())
          .hasSize(3);
      assertThat(kubectl(lifecycle.get(3)))
          .contains(
              "imageremovals.kube-rmi.io\" deleted",
              "nodeimageremovals.kube-rmi.io\" deleted",
              "imageremovalschedules.kube-rmi.io\" deleted");

      controlPlane.admin().rbac().clusterRoleBindings().withName("jane-kube-rmi-editor").delete();

      List<String> notRun = new ArrayList<>(documented);
      notRun.removeAll(ran);
      assertThat(notRun).as("documented commands this test did not run").isEmpty();
    }
  }

  /**
   * What the DaemonSet and the Deployment would run: the operator as its ServiceAccount, and an
   * agent per node with a token bound to a pod on that node (the chart's admission policy lets only
   * such an agent write its node's status).
   */
  private static void startPods(TestCluster cluster, ChartIdentities identities) {
    cluster.startOperatorAs(identities.operatorToken());
    for (String node : List.of("node-a", "node-b")) {
      cluster.startAgentAs(
          node, ClusterFixtures.docsNode(false), identities.agentTokenOnNode(node));
    }
  }

  private String helm(HelmProcess helm, String line) {
    assertThat(line).startsWith("helm ");
    HelmProcess.Result r = helm.run(line.substring("helm ".length()));
    assertThat(r.ok()).as(line + "\n" + r.output()).isTrue();
    ran.add(line);
    return r.output();
  }

  private String kubectl(String line) {
    assertThat(line).startsWith("kubectl ");
    String out = run(line);
    ran.add(line);
    return out;
  }

  /** A documented command with a placeholder, run with the placeholder filled in. */
  private String kubectlAs(String documented, String placeholder, String value) {
    String out = run(documented.replace(placeholder, value));
    ran.add(documented);
    return out;
  }

  private String run(String script) {
    // From the repository's root, as the docs' relative paths mean
    Sh.Result r =
        Sh.run(
            List.of("bash", "-euo", "pipefail", "-c", "cd '" + ROOT + "'\n" + script),
            Map.of(
                "KUBECONFIG",
                kubeconfig.toString(),
                "PATH",
                path,
                "KUBE_RMI_CDS",
                "0",
                "KREW_ROOT",
                ROOT.resolve("system-tests/target/krew-root").toString()),
            null,
            Duration.ofMinutes(2));
    assertThat(r.exit()).as(script + "\nstdout:\n" + r.out() + "\nstderr:\n" + r.err()).isZero();
    return r.out().trim();
  }

  /** NOTES.txt's indented lines are the commands (a heredoc's body included). */
  private String notesScript(String helmOutput) {
    String notes = helmOutput.substring(helmOutput.indexOf("NOTES:"));
    StringBuilder script = new StringBuilder();
    for (String line : notes.lines().toList()) {
      if (line.startsWith("  ")) {
        script.append(line.substring(2)).append('\n');
        if (line.startsWith("  kubectl ")) ran.add(DocumentedCommands.normalize(line));
      }
    }
    assertThat(script).as("NOTES holds commands").contains("kubectl apply -f - <<'YAML'");
    return script.toString();
  }
}
