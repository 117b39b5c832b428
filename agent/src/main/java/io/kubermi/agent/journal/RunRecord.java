package io.kubermi.agent.journal;

import io.kubermi.agent.engine.rules.PruneOp;
import io.kubermi.api.ImageResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the journal holds of one run: intents and answers by argument index. */
public final class RunRecord {
  private final Map<Integer, JournalEntry> intents = new TreeMap<>();
  private final Map<Integer, JournalEntry> answers = new TreeMap<>();
  private final Map<Integer, JournalEntry> plan = new TreeMap<>();

  void add(JournalEntry e) {
    switch (e.kind()) {
      case INTENT -> intents.put(e.index(), e);
      case ANSWER -> answers.put(e.index(), e);
      case PLAN -> plan.put(e.index(), e);
      case FINISHED -> {}
    }
  }

  /** A prune's recorded selection, in order; null when none was recorded. */
  public List<PruneOp> plan() {
    if (plan.isEmpty()) {
      return null;
    }
    List<PruneOp> ops = new ArrayList<>();
    plan.values().forEach(e -> ops.add(new PruneOp(e.image(), e.result().getImage())));
    return ops;
  }

  /** The engine's answer for the argument, if the journal has one for exactly that image. */
  public ImageResult answer(int index, String image) {
    JournalEntry e = answers.get(index);
    return e != null && e.image().equals(image) ? e.result() : null;
  }

  /** The prediction recorded before the engine was asked, if it is for exactly that image. */
  public ImageResult intent(int index, String image) {
    JournalEntry e = intents.get(index);
    return e != null && e.image().equals(image) ? e.result() : null;
  }

  public boolean isEmpty() {
    return intents.isEmpty() && answers.isEmpty();
  }
}
