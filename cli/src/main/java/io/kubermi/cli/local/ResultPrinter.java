package io.kubermi.cli.local;

import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.ListMeta;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubermi.agent.cli.PruneCommand;
import io.kubermi.agent.cli.RmiCommand;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.ImageResult;
import io.kubermi.api.NodeResult;
import io.kubermi.api.Outcome;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints finished ImageRemovals: {@code text} (per node, docker's lines), {@code yaml} (one
 * document each) or {@code json} (a v1 {@code List} of them, however many).
 */
final class ResultPrinter {
  private ResultPrinter() {}

  static void print(
      List<ImageRemoval> removals,
      String format,
      KubernetesSerialization serialization,
      PrintStream out) {
    switch (format) {
      case "yaml" -> removals.forEach(r -> out.print(serialization.asYaml(r)));
      // One shape for any number of removals, as kubectl prints a list: a v1 List.
      case "json" ->
          out.println(
              serialization.asJson(
                  new KubernetesList("v1", new ArrayList<>(removals), "List", new ListMeta())));
      default -> removals.forEach(r -> text(r, out));
    }
  }

  private static void text(ImageRemoval r, PrintStream out) {
    var s = r.getStatus();
    out.println(
        "imageremoval/"
            + r.getMetadata().getName()
            + ": "
            + (s == null || s.getPhase() == null ? "Pending" : s.getPhase())
            + (s == null || s.getProgress() == null
                ? ""
                : " (" + s.getProgress() + " nodes succeeded)"));
    if (s == null) return;
    for (NodeResult n : s.getNodes()) {
      out.println(
          "node "
              + n.getName()
              + ":"
              + (n.getReason() == null
                  ? ""
                  : " "
                      + n.getPhase()
                      + " "
                      + n.getReason()
                      + (n.getMessage() == null ? "" : ": " + n.getMessage()))
              + (Boolean.TRUE.equals(n.getDryRun()) ? " (dry run)" : ""));
      List<String> errors = new ArrayList<>();
      // A prune's lines as docker image prune prints them, a removal's as docker rmi does.
      boolean prune = r.getSpec() != null && r.getSpec().isPruning();
      String untagged = prune ? "untagged: " : "Untagged: ";
      String deleted = prune ? "deleted: " : "Deleted: ";
      for (ImageResult x : n.getResults()) {
        x.getUntagged().forEach(u -> out.println(untagged + u));
        x.getDeleted().forEach(d -> out.println(deleted + d));
        if (x.getOutcome() != Outcome.Removed) {
          errors.add(RmiCommand.errorLine(x));
        }
      }
      errors.forEach(out::println);
      if (n.getImageBytes() != null && n.getImageBytes().getBefore() != null) {
        out.println(
            PruneCommand.imageBytesLine(n.getImageBytes(), Boolean.TRUE.equals(n.getDryRun())));
      }
    }
    if (s.getNodesOmitted() != null)
      out.println("(" + s.getNodesOmitted() + " more nodes: see their NodeImageRemovals)");
  }
}
