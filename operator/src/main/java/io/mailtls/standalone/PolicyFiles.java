package io.mailtls.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.mailtls.api.MailEndpointPolicy;
import io.mailtls.schema.PolicySchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * MailEndpointPolicy resources from a directory of YAML files (several documents per file allowed),
 * checked against the same CRD schema and CEL rules as in a cluster. A bad policy is reported with
 * its file and field and left out; the good ones are kept.
 */
public final class PolicyFiles {
  static final String DEFAULT_NAMESPACE = "default";
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The policies that passed, and one line per problem, each starting with the file. */
  public record Loaded(List<MailEndpointPolicy> policies, List<String> errors) {}

  private PolicyFiles() {}

  public static Loaded load(Path directory, PolicySchema schema) throws IOException {
    List<MailEndpointPolicy> policies = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    List<Path> files;
    try (Stream<Path> listing = Files.list(directory)) {
      files =
          listing
              .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
              .sorted()
              .toList();
    }
    for (Path file : files) {
      List<JsonNode> documents;
      try (MappingIterator<JsonNode> it =
          YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
        documents = it.readAll();
      } catch (IOException e) {
        errors.add(file + ": not YAML: " + e.getMessage().lines().findFirst().orElse(""));
        continue;
      }
      for (JsonNode document : documents) {
        if (document == null || document.isNull() || document.isEmpty()) {
          continue;
        }
        List<String> problems = problems(document, schema);
        if (!problems.isEmpty()) {
          problems.forEach(p -> errors.add(file + ": " + p));
          continue;
        }
        MailEndpointPolicy policy =
            JSON.convertValue(schema.withDefaults(document), MailEndpointPolicy.class);
        if (policy.getMetadata().getNamespace() == null) {
          policy.getMetadata().setNamespace(DEFAULT_NAMESPACE);
        }
        String key = policy.getMetadata().getNamespace() + "/" + policy.getMetadata().getName();
        if (!seen.add(key)) {
          errors.add(file + ": metadata.name: " + key + " is defined twice");
          continue;
        }
        policy.getMetadata().setGeneration(1L);
        policies.add(policy);
      }
    }
    return new Loaded(policies, errors);
  }

  private static List<String> problems(JsonNode document, PolicySchema schema) {
    List<String> problems = new ArrayList<>();
    String apiVersion = MailEndpointPolicy.GROUP + "/" + MailEndpointPolicy.VERSION;
    if (!apiVersion.equals(document.path("apiVersion").asText())) {
      problems.add("apiVersion: expected " + apiVersion);
    }
    if (!"MailEndpointPolicy".equals(document.path("kind").asText())) {
      problems.add("kind: expected MailEndpointPolicy");
    }
    if (document.path("metadata").path("name").asText("").isEmpty()) {
      problems.add("metadata.name: required");
    }
    if (!document.has("spec")) {
      problems.add("spec: required"); // the CRD allows an object without spec; a policy needs one
    }
    problems.addAll(schema.validate(document));
    return problems;
  }
}
