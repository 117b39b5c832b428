package io.kubermi.agent.journal;

import io.kubermi.api.ImageResult;

/**
 * One line of the journal. {@code INTENT}: the agent is about to ask the engine to remove {@code
 * image}, the argument at {@code index} of the run, and the rules predict {@code result}. {@code
 * ANSWER}: the engine's answer for it. {@code PLAN}: a prune's selection, made once so that a
 * restarted agent carries out the same removals: {@code image} is the index-th removal's rmi
 * argument and {@code result.image} the image it prunes. {@code FINISHED}: the run's final status
 * is written, its entries may go.
 */
record JournalEntry(Kind kind, String run, int index, String image, ImageResult result) {
  enum Kind {
    INTENT,
    ANSWER,
    PLAN,
    FINISHED
  }
}
