package io.mailtls.reconcile;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Creates the committed (generated) CRDs in Fabric8's mock API server, so that /status works. */
final class TestingCrd {
  private static final Path CRDS =
      Path.of(System.getProperty("mailtls.project.root", "..")).resolve("crds");

  private TestingCrd() {}

  static void install(KubernetesClient client) throws IOException {
    for (String crd :
        List.of("mailendpointpolicies.mailtls.io-v1.yml", "mailsenderpolicies.mailtls.io-v1.yml")) {
      try (InputStream in = Files.newInputStream(CRDS.resolve(crd))) {
        client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .load(in)
            .createOr(NonDeletingOperation::update);
      }
    }
  }
}
