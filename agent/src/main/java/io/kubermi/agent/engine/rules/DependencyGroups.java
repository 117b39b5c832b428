package io.kubermi.agent.engine.rules;

import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.agent.engine.store.StoredImage;
import io.kubermi.api.reference.DockerReference;
import io.kubermi.api.reference.InvalidReferenceException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits rmi arguments into groups whose removals cannot affect each other, so groups may run
 * concurrently while each group runs in argument order and every printed line stays what a
 * sequential {@code docker rmi} prints. Two arguments share a group when the images they could
 * touch are related: the same image, an image an ambiguous or tag-shadowed prefix could resolve to,
 * a parent or child (pruning, child conflicts), or an image sharing a layer (which removal prints
 * the shared layer's {@code Deleted:} line depends on order).
 */
public final class DependencyGroups {
  private DependencyGroups() {}

  /** Groups of argument indexes, each in ascending order; groups ordered by their first index. */
  public static List<List<Integer>> of(ImageStoreModel store, List<String> arguments) {
    Map<String, String> parent = new HashMap<>();
    for (StoredImage i : store.images()) {
      parent.put(i.id(), i.id());
    }
    for (StoredImage i : store.images()) {
      if (i.parentId() != null && parent.containsKey(i.parentId()))
        union(parent, i.id(), i.parentId());
    }
    Map<String, String> layerOwner = new HashMap<>();
    for (StoredImage i : store.images()) {
      for (String layer : i.chainIds()) {
        String owner = layerOwner.putIfAbsent(layer, i.id());
        if (owner != null) union(parent, owner, i.id());
      }
    }
    List<String> argumentRoot = new ArrayList<>();
    for (int a = 0; a < arguments.size(); a++) {
      List<String> touched = candidates(store, arguments.get(a));
      for (int t = 1; t < touched.size(); t++) union(parent, touched.get(0), touched.get(t));
      argumentRoot.add(touched.isEmpty() ? null : touched.get(0));
    }
    Map<String, List<Integer>> groups = new LinkedHashMap<>();
    for (int a = 0; a < arguments.size(); a++) {
      String root = argumentRoot.get(a) == null ? "arg:" + a : find(parent, argumentRoot.get(a));
      groups.computeIfAbsent(root, k -> new ArrayList<>()).add(a);
    }
    return List.copyOf(groups.values());
  }

  /** Every image the argument could resolve to at any point of the run. */
  static List<String> candidates(ImageStoreModel store, String argument) {
    List<String> ids = new ArrayList<>();
    try {
      DockerReference r = DockerReference.parseNormalizedNamed(argument);
      String byRef = store.imageOf(r.hasDigest() ? r.withoutTag() : r.withDefaultTag());
      if (byRef != null) ids.add(byRef);
    } catch (InvalidReferenceException notAName) {
      // IDs and malformed strings: only the prefix search below can match
    }
    String hex = argument.startsWith("sha256:") ? argument.substring(7) : argument;
    if (!hex.isEmpty()
        && hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      for (String id : store.idsWithPrefix(hex)) {
        if (!ids.contains(id)) ids.add(id);
      }
    }
    return ids;
  }

  private static String find(Map<String, String> parent, String x) {
    String root = x;
    while (!parent.get(root).equals(root)) root = parent.get(root);
    while (!parent.get(x).equals(root)) {
      String next = parent.get(x);
      parent.put(x, root);
      x = next;
    }
    return root;
  }

  private static void union(Map<String, String> parent, String a, String b) {
    String ra = find(parent, a);
    String rb = find(parent, b);
    if (!ra.equals(rb)) parent.put(ra, rb);
  }
}
