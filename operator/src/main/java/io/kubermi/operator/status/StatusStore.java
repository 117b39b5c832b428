package io.kubermi.operator.status;

import io.kubermi.api.ImageRemoval;
import io.kubermi.api.ImageRemovalStatus;

/** Where ImageRemoval statuses are read and written: the API server, or a test's map. */
public interface StatusStore {
  /** The object as the server has it now, or null when it is gone. */
  ImageRemoval get(String name);

  /**
   * Replaces the whole status if the object is still at {@code resourceVersion}; returns the object
   * as written (its new resourceVersion).
   *
   * @throws StaleVersion when the object moved on since that version (HTTP 409)
   */
  ImageRemoval writeStatus(String name, String resourceVersion, ImageRemovalStatus status);

  /** The object changed after the version a write was computed from. */
  final class StaleVersion extends RuntimeException {
    public StaleVersion(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
