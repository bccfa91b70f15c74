package io.mailtls.api;

import static org.assertj.core.api.Assertions.assertThat;

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
}
