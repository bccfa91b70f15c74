package io.mailtls.reconcile;

import io.javaoperatorsdk.operator.processing.retry.GenericRetry;

/**
 * How both reconcilers retry a reconcile that threw (an API error): after 2 s, then twice as long
 * each time up to 5 minutes, for as long as the error lasts. Never giving up matters: a policy
 * whose retries ran out would not be probed or evaluated again until its next edit. JOSDK makes one
 * for each reconciler from {@code @ControllerConfiguration(retry = NeverGiveUpRetry.class)}; a
 * {@code @GradualRetry} on a reconciler class would overwrite these values, so neither has one.
 */
final class NeverGiveUpRetry extends GenericRetry {
  NeverGiveUpRetry() {
    withoutMaxAttempts();
    setInitialInterval(2_000);
    setIntervalMultiplier(2);
    setMaxInterval(300_000);
  }
}
