package io.mailtls.status;

import io.mailtls.policy.VerdictChange;
import java.util.List;

/** Tells the world beyond the log about verdict changes: Kubernetes Events in the operator. */
@FunctionalInterface
public interface VerdictChangeNotifier {
  VerdictChangeNotifier NONE = (policy, changes) -> {};

  /** Best effort: must not throw. */
  void publish(PolicyRef policy, List<VerdictChange> changes);
}
