package io.mailtls.probe;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for a probe that runs on another thread, for the engine and the rounds above it. */
public final class ProbeFutures {
  private ProbeFutures() {}

  /**
   * The probe's result. Probes classify their own failures, so anything thrown is a bug worth a
   * stack trace.
   */
  public static <T> T join(Future<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while probing", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("probe failed unexpectedly", e.getCause());
    }
  }
}
