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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The build fails when crds/ no longer matches what the CRD generator makes of the api package. */
class CommittedCrdTest {
  @ParameterizedTest
  @ValueSource(strings = {PolicySchema.CRD_RESOURCE, PolicySchema.SENDER_CRD_RESOURCE})
  void committedCrdIsTheGeneratedOne(String resource) throws IOException {
    String generated;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
      generated = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Path committed =
        TestingProject.ROOT.resolve("crds").resolve(Path.of(resource).getFileName().toString());
    assertThat(Files.readString(committed))
        .as("%s is stale: run scripts/update-crds.sh and commit the result", committed)
        .isEqualTo(generated);
  }

  @Test
  void kubectlGetShowsEachSendersVerdictCounts() throws IOException {
    CustomResourceDefinition crd =
        new KubernetesSerialization()
            .unmarshal(
                Files.readString(
                    TestingProject.ROOT.resolve("crds/mailsenderpolicies.mailtls.io-v1.yml")),
                CustomResourceDefinition.class);

    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("msp", "msps");
    assertThat(crd.getSpec().getVersions().getFirst().getAdditionalPrinterColumns())
        .extracting(c -> c.getName() + (c.getPriority() == 0 ? "" : " (wide)"))
        .containsExactly(
            "Compliant",
            "Senders",
            "Non-compliant",
            "Not seen",
            "Reason (wide)",
            "Ready (wide)",
            "Last change",
            "Age");
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
