package io.kubermi.agent.engine.store;

/** A container, running or not, and the image it was created from (which may since have gone). */
public record StoredContainer(String id, String imageId, boolean running) {}
