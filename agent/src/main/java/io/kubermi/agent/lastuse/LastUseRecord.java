package io.kubermi.agent.lastuse;

import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.agent.engine.store.StoredContainer;
import io.kubermi.agent.engine.store.StoredImage;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * When each image of a node was last used by a container, as far as the agent has seen: an image is
 * in use while a container of it runs (a CRI image volume counts as one), so each reading of the
 * store marks those images used at that moment, and an image that ran at the previous reading but
 * no longer does was used until this one. An image with containers the agent never saw running
 * counts as used when the agent first sees them. Entries of images gone from the store are dropped,
 * so the record never holds more than the store does.
 */
public final class LastUseRecord {
  /**
   * One image: first seen by the agent; last used (null: never seen in use); whether a container of
   * it ran at the last reading.
   */
  public record Entry(Instant firstSeen, Instant lastUsed, boolean running) {}

  private final Map<String, Entry> entries;

  public LastUseRecord(Map<String, Entry> entries) {
    this.entries = new HashMap<>(entries);
  }

  public static LastUseRecord empty() {
    return new LastUseRecord(Map.of());
  }

  /** Takes in the store as read at {@code at} (to the millisecond); whether anything changed. */
  public synchronized boolean observe(ImageStoreModel store, Instant at) {
    Instant now = at.truncatedTo(ChronoUnit.MILLIS); // what the file keeps
    Set<String> running = new HashSet<>();
    Set<String> withContainers = new HashSet<>();
    for (StoredContainer c : store.containers()) {
      withContainers.add(c.imageId());
      if (c.running()) running.add(c.imageId());
    }
    boolean changed = entries.keySet().retainAll(ids(store));
    for (StoredImage image : store.images()) {
      Entry before = entries.get(image.id());
      Entry after = next(before, image.id(), running, withContainers, now);
      if (!after.equals(before)) {
        entries.put(image.id(), after);
        changed = true;
      }
    }
    return changed;
  }

  private static Entry next(
      Entry before, String id, Set<String> running, Set<String> withContainers, Instant now) {
    Instant firstSeen = before == null ? now : before.firstSeen();
    Instant lastUsed = before == null ? null : before.lastUsed();
    boolean runsNow = running.contains(id);
    boolean ranBefore = before != null && before.running();
    if (runsNow || ranBefore || (lastUsed == null && withContainers.contains(id))) {
      lastUsed = now;
    }
    return new Entry(firstSeen, lastUsed, runsNow);
  }

  private static Set<String> ids(ImageStoreModel store) {
    Set<String> ids = new HashSet<>();
    store.images().forEach(i -> ids.add(i.id()));
    return ids;
  }

  /**
   * Since when the image has not been used: its last use, or for an image never seen in use the
   * later of its creation (when the engine says it) and the agent's first sight of it. An image not
   * in the record yet (it arrived after the last reading) is unused since {@code now}.
   */
  public synchronized Instant unusedSince(StoredImage image, Instant now) {
    Entry e = entries.get(image.id());
    if (e == null) return now;
    if (e.running()) return now;
    if (e.lastUsed() != null) return e.lastUsed();
    Instant created = image.created();
    return created != null && created.isAfter(e.firstSeen()) ? created : e.firstSeen();
  }

  public synchronized Entry entry(String imageId) {
    return entries.get(imageId);
  }

  /** A copy of every entry, for writing or showing. */
  public synchronized Map<String, Entry> entries() {
    return Map.copyOf(entries);
  }
}
