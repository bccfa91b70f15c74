package io.mailtls.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.mailtls.TestingProject;
import io.mailtls.schema.PolicySchema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The build fails when crds/ no longer matches what the CRD generator makes of the api package. */
class CommittedCrdTest {
  @Test
  void committedCrdIsTheGeneratedOne() throws IOException {
    String generated;
    try (InputStream in =
        getClass().getClassLoader().getResourceAsStream(PolicySchema.CRD_RESOURCE)) {
      generated = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Path committed = TestingProject.ROOT.resolve("crds/mailendpointpolicies.mailtls.io-v1.yml");
    assertThat(Files.readString(committed))
        .as("%s is stale: run scripts/update-crds.sh and commit the result", committed)
        .isEqualTo(generated);
  }

  @Test
  void kubectlGetShowsTheComplianceFirstAndAgeLast() throws IOException {
    CustomResourceDefinition crd =
        new KubernetesSerialization()
            .unmarshal(
                Files.readString(
                    TestingProject.ROOT.resolve("crds/mailendpointpolicies.mailtls.io-v1.yml")),
                CustomResourceDefinition.class);

    assertThat(crd.getSpec().getNames().getCategories()).containsExactly("mailtls");
    assertThat(crd.getSpec().getVersions().getFirst().getAdditionalPrinterColumns())
        .extracting(c -> c.getName() + (c.getPriority() == 0 ? "" : " (wide)"))
        .containsExactly(
            "Compliant",
            "Endpoints",
            "Non-compliant",
            "Unreachable",
            "Reason (wide)",
            "Ready (wide)",
            "Last probe",
            "Age");
    var conditions =
        crd.getSpec()
            .getVersions()
            .getFirst()
            .getSchema()
            .getOpenAPIV3Schema()
            .getProperties()
            .get("status")
            .getProperties()
            .get("conditions");
    assertThat(conditions.getXKubernetesListType()).isEqualTo("map");
    assertThat(conditions.getXKubernetesListMapKeys()).containsExactly("type");
    assertThat(conditions.getItems().getSchema().getRequired())
        .containsExactly("type", "status", "lastTransitionTime", "reason", "message");
  }
}
