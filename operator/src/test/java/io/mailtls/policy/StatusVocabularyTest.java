package io.mailtls.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.mailtls.compliance.Verdict;
import io.mailtls.probe.FailureKind;
import io.mailtls.schema.PolicySchema;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What `kubectl explain` says a status field may hold is exactly what the code writes into it: the
 * descriptions are held to the enums they describe.
 */
class StatusVocabularyTest {

  private static JsonNode statusProperties() throws Exception {
    try (InputStream in =
        StatusVocabularyTest.class
            .getClassLoader()
            .getResourceAsStream(PolicySchema.CRD_RESOURCE)) {
      return new YAMLMapper()
          .readTree(in)
          .at("/spec/versions/0/schema/openAPIV3Schema/properties/status/properties");
    }
  }

  @Test
  void theFailureDescriptionListsEveryFailureClassAndNothingElse() throws Exception {
    String description =
        statusProperties().at("/endpoints/items/properties/failure/description").asText();
    String list = description.substring(description.indexOf(": ") + 2, description.indexOf(". "));

    assertThat(Set.of(list.split(", ")))
        .isEqualTo(
            Arrays.stream(FailureKind.values())
                .map(FailureKind::reason)
                .collect(Collectors.toSet()));
  }

  @Test
  void theVerdictAndConditionDescriptionsNameEveryVerdict() throws Exception {
    String verdict =
        statusProperties().at("/endpoints/items/properties/verdict/description").asText();
    String conditions = statusProperties().at("/conditions/description").asText();
    for (Verdict v : Verdict.values()) {
      assertThat(verdict).contains(v.reason());
      assertThat(conditions).contains(v.reason());
    }
  }
}
