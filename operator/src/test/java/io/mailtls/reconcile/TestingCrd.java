package io.mailtls.reconcile;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Creates the committed (generated) CRD in Fabric8's mock API server, so that /status works. */
final class TestingCrd {
  private static final Path CRD =
      Path.of(System.getProperty("mailtls.project.root", ".."))
          .resolve("crds/mailendpointpolicies.mailtls.io-v1.yml");

  private TestingCrd() {}

  static void install(KubernetesClient client) throws IOException {
    try (InputStream in = Files.newInputStream(CRD)) {
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .load(in)
          .createOr(NonDeletingOperation::update);
    }
  }
}
