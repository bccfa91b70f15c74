package io.mailtls.standalone;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.mailtls.api.FieldPaths;
import io.mailtls.api.MailEndpointPolicy;
import io.mailtls.schema.PolicySchema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * MailEndpointPolicy (or MailSenderPolicy) resources from a directory of YAML files (several
 * documents per file allowed), checked against the same CRD schema and CEL rules as in a cluster,
 * and their metadata as the API server checks it. A bad policy, or a file that is not a regular
 * file or is too large, is reported with its file (and field) and left out; the good ones are kept.
 */
public final class PolicyFiles {
  static final String DEFAULT_NAMESPACE = "default";

  /** A file larger than this is skipped: policies are a few hundred bytes each. */
  public static final int MAX_FILE_BYTES = 1024 * 1024;

  /** A file with more documents than this is skipped. */
  public static final int MAX_DOCUMENTS_PER_FILE = 1000;

  /** metadata.name: a DNS-1123 subdomain, as the API server requires. */
  private static final Pattern NAME =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  /** metadata.namespace: a DNS-1123 label. */
  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  private static final YAMLMapper YAML = yamlMapper();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The policies that passed, and one line per problem, each starting with the file. */
  public record Loaded<T>(List<T> policies, List<String> errors) {}

  private PolicyFiles() {}

  public static Loaded<MailEndpointPolicy> load(Path directory, PolicySchema schema)
      throws IOException {
    return load(directory, schema, MailEndpointPolicy.class);
  }

  /** Resources of one kind ({@code type}'s), checked against {@code schema}: that kind's CRD. */
  public static <T extends CustomResource<?, ?>> Loaded<T> load(
      Path directory, PolicySchema schema, Class<T> type) throws IOException {
    String kind = HasMetadata.getKind(type);
    List<T> policies = new ArrayList<>();
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
      try {
        documents = read(file);
      } catch (IOException | RuntimeException e) {
        errors.add(file + ": " + firstLine(e.getMessage()));
        continue;
      }
      for (JsonNode document : documents) {
        if (document == null || document.isNull() || document.isEmpty()) {
          continue;
        }
        List<String> problems = problems(document, schema, kind);
        if (!problems.isEmpty()) {
          problems.forEach(p -> errors.add(file + ": " + p));
          continue;
        }
        T policy;
        try {
          policy = JSON.convertValue(schema.withDefaults(document), type);
        } catch (IllegalArgumentException e) {
          errors.add(file + ": " + conversionProblem(e));
          continue;
        }
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

  /**
   * The documents of one file: only a regular file (a FIFO would block forever), at most {@link
   * #MAX_FILE_BYTES}, at most {@link #MAX_DOCUMENTS_PER_FILE} documents.
   */
  private static List<JsonNode> read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("not a regular file");
    }
    if (Files.size(file) > MAX_FILE_BYTES) {
      throw new IOException("larger than " + MAX_FILE_BYTES + " bytes");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_FILE_BYTES + 1); // it may have grown since
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw new IOException("larger than " + MAX_FILE_BYTES + " bytes");
    }
    List<JsonNode> documents = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(bytes)) {
      while (it.hasNextValue()) {
        if (documents.size() == MAX_DOCUMENTS_PER_FILE) {
          throw new IOException("more than " + MAX_DOCUMENTS_PER_FILE + " documents");
        }
        documents.add(it.nextValue());
      }
    } catch (JsonProcessingException e) {
      throw new IOException("not YAML: " + e.getOriginalMessage(), e);
    }
    return documents;
  }

  private static YAMLMapper yamlMapper() {
    LoaderOptions limits = new LoaderOptions();
    limits.setCodePointLimit(MAX_FILE_BYTES);
    limits.setMaxAliasesForCollections(50);
    limits.setNestingDepthLimit(50);
    return new YAMLMapper(YAMLFactory.builder().loaderOptions(limits).build());
  }

  /** A field of the wrong type, named by its path: {@code metadata.generation: …}. */
  private static String conversionProblem(IllegalArgumentException e) {
    if (e.getCause() instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      return FieldPaths.of("", mapping) + ": " + FieldPaths.problem(mapping);
    }
    return firstLine(e.getMessage());
  }

  private static String firstLine(String message) {
    return String.valueOf(message).lines().findFirst().orElse("");
  }

  /** metadata as the API server checks it before anything else: types and the name rules. */
  private static List<String> metadataProblems(JsonNode metadata) {
    List<String> problems = new ArrayList<>();
    if (!metadata.isObject()) {
      problems.add("metadata: expected an object");
      return problems;
    }
    JsonNode name = metadata.path("name");
    if (name.isMissingNode() || name.isNull() || name.asText("").isEmpty()) {
      problems.add("metadata.name: required");
    } else if (!name.isTextual()
        || name.asText().length() > 253
        || !NAME.matcher(name.asText()).matches()) {
      problems.add(
          "metadata.name: must be a lowercase DNS-1123 subdomain (a-z, 0-9, '-', '.'; at most"
              + " 253 characters)");
    }
    JsonNode namespace = metadata.path("namespace");
    if (!namespace.isMissingNode()
        && (!namespace.isTextual() || !NAMESPACE.matcher(namespace.asText()).matches())) {
      problems.add("metadata.namespace: must be a lowercase DNS-1123 label (a-z, 0-9, '-')");
    }
    for (String map : List.of("labels", "annotations")) {
      JsonNode value = metadata.path(map);
      if (value.isMissingNode() || value.isNull()) {
        continue;
      }
      boolean stringMap = value.isObject();
      for (JsonNode entry : value) {
        stringMap &= entry.isTextual();
      }
      if (!stringMap) {
        problems.add("metadata." + map + ": expected a map of strings to strings");
      }
    }
    return problems;
  }

  private static List<String> problems(JsonNode document, PolicySchema schema, String kind) {
    List<String> problems = new ArrayList<>();
    String apiVersion = MailEndpointPolicy.GROUP + "/" + MailEndpointPolicy.VERSION;
    if (!apiVersion.equals(document.path("apiVersion").asText())) {
      problems.add("apiVersion: expected " + apiVersion);
    }
    if (!kind.equals(document.path("kind").asText())) {
      problems.add("kind: expected " + kind);
    }
    problems.addAll(metadataProblems(document.path("metadata")));
    if (!document.has("spec")) {
      problems.add("spec: required"); // the CRD allows an object without spec; a policy needs one
    }
    problems.addAll(schema.validate(document));
    return problems;
  }
}
