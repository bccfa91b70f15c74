package io.mailtls.status;

/**
 * Which policy a status belongs to.
 *
 * @param uid the Kubernetes object's uid, for Events; null in the standalone mode
 */
public record PolicyRef(String namespace, String name, String uid) {
  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
