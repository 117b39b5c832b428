package io.kubermi.agent.engine.rules;

/**
 * One removal docker image prune makes: {@code argument} as an unforced {@code docker rmi} takes it
 * (a reference, or the image's hex ID when it has none), for the candidate image {@code imageId}.
 */
public record PruneOp(String argument, String imageId) {}
