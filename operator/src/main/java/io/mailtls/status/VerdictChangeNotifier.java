package io.mailtls.status;

import io.mailtls.policy.StatusChange;
import java.util.List;

/**
 * Tells the world beyond the log about verdict and MX changes: Kubernetes Events in the operator.
 */
@FunctionalInterface
public interface VerdictChangeNotifier {
  VerdictChangeNotifier NONE = (policy, changes) -> {};

  /** Best effort: must not throw. */
  void publish(PolicyRef policy, List<StatusChange> changes);
}
