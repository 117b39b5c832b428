package io.kubermi.operator;

import io.kubermi.api.ImageRemoval;
import io.kubermi.api.ImageRemovalSpec;
import java.util.List;

/** ImageRemovals as a user writes them, for the operator's unit tests. */
public final class TestRemovals {
  private TestRemovals() {}

  public static ImageRemoval removal(String name, List<String> images) {
    ImageRemoval r = new ImageRemoval();
    r.getMetadata().setName(name);
    r.getMetadata().setUid("uid-" + name);
    r.getMetadata().setGeneration(1L);
    ImageRemovalSpec spec = new ImageRemovalSpec();
    spec.setImages(images);
    r.setSpec(spec);
    return r;
  }
}
