package io.kubermi.agent.engine;

import io.kubermi.agent.engine.rules.PruneOp;
import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.agent.lastuse.LastUseRecord;
import io.kubermi.api.ImageBytesReport;
import io.kubermi.api.ImageResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A prune with disk thresholds: of the removals docker's rules select, the images oldest-unused
 * first (by the node's last-use record; ties by ID), as few of them as free the bytes needed. What
 * each would free is measured by one dry run of them all in that order, so each image's bytes are
 * those it frees after the ones before it, exactly as the real run then frees them.
 */
public final class ImageBytesTarget {
  private ImageBytesTarget() {}

  /** The removals a run with thresholds makes, and the engine's image bytes it found. */
  public record Within(List<PruneOp> ops, ImageBytesReport report) {}

  /**
   * A prune's thresholds applied to its removals: none when the engine's image bytes are at most
   * {@code high}, else the fewest, oldest-unused first, that bring them to {@code low} ({@link
   * #select}). The report holds the bytes before and whether they were above the high mark.
   */
  public static Within within(
      Engine engine,
      ImageStoreModel store,
      List<PruneOp> ops,
      long high,
      long low,
      LastUseRecord lastUse,
      Instant now) {
    long before = engine.imageBytes();
    ImageBytesReport report = new ImageBytesReport();
    report.setBefore(before);
    report.setAboveHigh(before > high);
    if (before <= high) return new Within(List.of(), report);
    return new Within(select(engine, store, ops, before - low, lastUse, now), report);
  }

  /**
   * The removals to make: the shortest oldest-unused-first run of whole images that frees at least
   * {@code toFree} bytes, or all of them when even all free less.
   */
  public static List<PruneOp> select(
      Engine engine,
      ImageStoreModel store,
      List<PruneOp> ops,
      long toFree,
      LastUseRecord lastUse,
      Instant now) {
    List<List<PruneOp>> images = oldestUnusedFirst(ops, store, lastUse, now);
    List<PruneOp> ordered = flatten(images);
    if (ordered.isEmpty() || toFree <= 0) return List.of();
    List<ImageResult> predicted =
        engine.remove(Pruner.arguments(ordered), new RemovalOptions(false, false, List.of(), true));
    List<Long> bytes = new ArrayList<>();
    int next = 0;
    for (List<PruneOp> image : images) {
      long sum = 0;
      for (int i = 0; i < image.size(); i++, next++) {
        Long b = predicted.get(next).getReclaimableBytes();
        if (b != null) sum += b;
      }
      bytes.add(sum);
    }
    return flatten(images.subList(0, imagesNeeded(bytes, toFree)));
  }

  /** How many leading images free at least {@code toFree}: all when all of them free less. */
  static int imagesNeeded(List<Long> bytes, long toFree) {
    long freed = 0;
    for (int i = 0; i < bytes.size(); i++) {
      if (freed >= toFree) return i;
      freed += bytes.get(i);
    }
    return bytes.size();
  }

  /** The removals grouped by image, oldest-unused first, each image's removals in their order. */
  static List<List<PruneOp>> oldestUnusedFirst(
      List<PruneOp> ops, ImageStoreModel store, LastUseRecord lastUse, Instant now) {
    Map<String, List<PruneOp>> byImage = new LinkedHashMap<>();
    for (PruneOp op : ops) byImage.computeIfAbsent(op.imageId(), k -> new ArrayList<>()).add(op);
    Comparator<String> order =
        Comparator.comparing((String id) -> lastUse.unusedSince(store.image(id), now))
            .thenComparing(id -> id);
    return byImage.keySet().stream().sorted(order).map(byImage::get).toList();
  }

  private static List<PruneOp> flatten(List<List<PruneOp>> images) {
    List<PruneOp> all = new ArrayList<>();
    images.forEach(all::addAll);
    return all;
  }
}
