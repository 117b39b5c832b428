package io.kubermi.agent.cli;

import io.kubermi.agent.engine.Engine;
import io.kubermi.agent.engine.EngineException;
import io.kubermi.agent.engine.ProtectedImages;
import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.agent.engine.store.StoredImage;
import io.kubermi.agent.lastuse.LastUseRecord;
import io.kubermi.api.reference.DockerReference;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code kube-rmi images}: this machine's images, one line per image, oldest-unused first with
 * {@code --last-used} (the order a prune's {@code unusedFor} reaches them in).
 */
public final class ImagesCommand {
  private ImagesCommand() {}

  public static String help() {
    return CommandLines.help(new ImagesOptions());
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (CommandLines.asksForHelp(args)) {
      out.print(help());
      return 0;
    }
    ImagesOptions o;
    String dockerHost;
    try {
      o = RmiArguments.read(new ImagesOptions(), args);
      if (!o.arguments.isEmpty()) {
        throw new RmiArguments.UsageException("\"kube-rmi images\" accepts no arguments.");
      }
      dockerHost = o.engine.dockerHost(System.getenv("DOCKER_HOST"));
    } catch (RmiArguments.UsageException e) {
      err.println("kube-rmi images: " + e.getMessage());
      err.println("See 'kube-rmi images --help'.");
      return RmiCommand.EXIT_USAGE;
    }
    LastUseRecord lastUse = null;
    try {
      if (o.lastUsed) lastUse = NodeFolder.lastUse(o.nodeFolder);
    } catch (NodeFolder.NoRecord e) {
      err.println("kube-rmi images: " + e.getMessage());
      return 1;
    }
    try (Engine engine =
        LocalEngine.open(dockerHost, o.engine.containerd, ProtectedImages.none(), false)) {
      ImageStoreModel store = engine.listing();
      Instant now = Instant.now();
      if (lastUse != null) lastUse.observe(store, now);
      lines(store, lastUse, now).forEach(out::println);
      return 0;
    } catch (EngineException e) {
      err.println(e.getMessage());
      return 1;
    }
  }

  /** The table: a header, then one line per image. */
  static List<String> lines(ImageStoreModel store, LastUseRecord lastUse, Instant now) {
    List<StoredImage> images = new ArrayList<>(store.images());
    Comparator<StoredImage> order =
        lastUse == null
            ? Comparator.comparing(StoredImage::id)
            : Comparator.comparing((StoredImage i) -> lastUse.unusedSince(i, now))
                .thenComparing(StoredImage::id);
    images.sort(order);
    String format = lastUse == null ? "%-19s  %-10s  %s" : "%-19s  %-10s  %-20s  %-10s  %s";
    List<String> lines = new ArrayList<>();
    lines.add(
        lastUse == null
            ? String.format(format, "IMAGE ID", "SIZE", "REFERENCES")
            : String.format(format, "IMAGE ID", "SIZE", "LAST USED", "UNUSED FOR", "REFERENCES"));
    for (StoredImage i : images) {
      String id = i.id().substring(i.id().indexOf(':') + 1);
      String shortId = id.substring(0, Math.min(12, id.length()));
      String size = HumanSize.of(i.size());
      String refs =
          String.join(
              ",", store.referencesOf(i.id()).stream().map(DockerReference::toString).toList());
      if (refs.isEmpty()) refs = "<none>";
      if (lastUse == null) {
        lines.add(String.format(format, shortId, size, refs));
      } else {
        Instant since = lastUse.unusedSince(i, now);
        LastUseRecord.Entry e = lastUse.entry(i.id());
        String used =
            e != null && e.running()
                ? "running"
                : e != null && e.lastUsed() != null
                    ? e.lastUsed().truncatedTo(ChronoUnit.SECONDS).toString()
                    : "never";
        lines.add(
            String.format(format, shortId, size, used, age(Duration.between(since, now)), refs));
      }
    }
    return lines;
  }

  /**
   * An age as a Go duration rounded to the minute (191h12m), what --unused-for is compared with.
   */
  static String age(Duration d) {
    long minutes = Math.max(0, d.toMinutes());
    return minutes / 60 + "h" + minutes % 60 + "m";
  }
}
