package io.mailtls.reconcile;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import java.net.HttpURLConnection;
import java.util.function.Supplier;

/**
 * Writes a policy's status when it changed, as a JSON Patch of the status subresource against the
 * resourceVersion it was computed from (JOSDK retries a conflict with the fresh resource and keeps
 * its cache current). Not Server-Side Apply, which the mock API server lacks; not a JSON merge
 * patch either, whose lists the mock appends to instead of replacing (see DESIGN.md).
 */
final class StatusPatch {
  private StatusPatch() {}

  /**
   * @return false when the policy was deleted meanwhile
   */
  static <S, T, R extends CustomResource<S, T>> boolean write(
      R policy, Context<R> context, T status, Supplier<R> empty) {
    try {
      PrimaryUpdateAndCacheUtils.patchStatusAndCacheResource(
          policy,
          context,
          current -> {
            // The policy as it is, with the new status: the patch touches nothing but status.
            R updated = empty.get();
            updated.setMetadata(current.getMetadata());
            updated.setSpec(current.getSpec());
            updated.setStatus(status);
            return updated;
          });
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }
}
