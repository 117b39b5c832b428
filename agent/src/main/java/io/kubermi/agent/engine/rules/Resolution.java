package io.kubermi.agent.engine.rules;

/** Which image an argument resolves to, or the error docker answers. */
public record Resolution(String imageId, RmiResponse error) {
  static Resolution of(String imageId) {
    return new Resolution(imageId, null);
  }

  static Resolution error(int status, String message) {
    return new Resolution(null, RmiResponse.error(status, message));
  }
}
