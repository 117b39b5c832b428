package io.kubermi.api.reference;

/** A string that is not a Docker reference; the message is docker's own wording. */
public class InvalidReferenceException extends Exception {
  public InvalidReferenceException(String message) {
    super(message);
  }
}
