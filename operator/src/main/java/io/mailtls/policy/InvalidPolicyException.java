package io.mailtls.policy;

/** A policy spec that cannot be probed; the message names each bad field. */
public class InvalidPolicyException extends Exception {
  public InvalidPolicyException(String message) {
    super(message);
  }
}
