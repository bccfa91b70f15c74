package io.mailtls.probe;

/** Ends a probe connection early with a classified failure; never leaves the probe package. */
final class ProbeException extends Exception {
  private final Failure failure;

  ProbeException(FailureKind kind, String detail) {
    super(kind + ": " + detail, null, false, false);
    this.failure = Failure.of(kind, detail);
  }

  Failure failure() {
    return failure;
  }
}
