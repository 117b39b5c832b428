package io.kubermi.agent.engine;

import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.agent.engine.store.StoredImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The differential walks' argument generator: tags, bare names, full IDs with and without sha256:,
 * ID prefixes of random length (ambiguous ones included), and missing names.
 */
public final class RandomRmiArguments {
  public static final List<String> REPOS = List.of("a", "b", "c", "team/app");
  public static final List<String> TAGS = List.of("1", "2", "latest");

  private RandomRmiArguments() {}

  public static List<String> of(ImageStoreModel state, Random rnd) {
    List<String> refs = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (StoredImage i : state.images()) {
      ids.add(i.id());
      state.referencesOf(i.id()).forEach(r -> refs.add(r.familiarString()));
    }
    List<String> args = new ArrayList<>();
    for (int n = 1 + rnd.nextInt(3); n > 0; n--) {
      String hex = ids.isEmpty() ? "0" : pick(ids, rnd).substring(7);
      args.add(
          switch (rnd.nextInt(10)) {
            case 0, 1, 2 -> refs.isEmpty() ? "nothere" : pick(refs, rnd);
            case 3 -> refs.isEmpty() ? "a" : pick(refs, rnd).replaceAll(":[^:/@]+$", "");
            case 4 -> "sha256:" + hex;
            case 5 -> hex.substring(0, 1 + rnd.nextInt(12));
            case 6 -> "sha256:" + hex.substring(0, 1 + rnd.nextInt(12));
            case 7 -> hex;
            case 8 -> rnd.nextBoolean() ? "nothere" : "nothere:" + rnd.nextInt(3);
            default -> repoTag(rnd);
          });
    }
    return args;
  }

  public static String repoTag(Random rnd) {
    return pick(REPOS, rnd) + ":" + pick(TAGS, rnd);
  }

  public static <T> T pick(List<T> list, Random rnd) {
    return list.get(rnd.nextInt(list.size()));
  }
}
