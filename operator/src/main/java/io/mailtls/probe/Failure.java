package io.mailtls.probe;

import io.mailtls.text.ServerText;

/** A classified failure with a short, sanitized detail for people (e.g. the server's reply). */
public record Failure(FailureKind kind, String detail) {

  public static Failure of(FailureKind kind, String detail) {
    return new Failure(kind, ServerText.clean(detail));
  }

  @Override
  public String toString() {
    return detail == null || detail.isEmpty() ? kind.name() : kind + ": " + detail;
  }
}
