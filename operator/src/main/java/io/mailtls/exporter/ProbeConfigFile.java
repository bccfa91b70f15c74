package io.mailtls.exporter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.mailtls.api.EndpointSpec;
import io.mailtls.compliance.CompliancePolicy;
import io.mailtls.probe.ProbeSettings;
import io.mailtls.text.Durations;
import io.mailtls.text.ServerText;
import io.mailtls.tls.TlsVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * The exporter's config file ({@code --probe-config}): its modules, read and checked as a whole, so
 * that a file with one bad field is refused with every problem named by its field ({@code
 * modules.strict.minimumVersion: …}) and never half used.
 *
 * <pre>
 * modules:
 *   strict:
 *     minimumVersion: TLSv1.3
 *     timeout: 5s
 * </pre>
 */
public final class ProbeConfigFile {
  /** A larger file is refused: modules are a few lines each. */
  static final int MAX_FILE_BYTES = 1024 * 1024;

  static final int MAX_MODULES = 1000;

  /** Letters, digits, '_', '-' and '.': a module name is a label value and part of URLs. */
  private static final Pattern MODULE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");

  private static final Pattern DNS_NAME = Pattern.compile(EndpointSpec.DNS_NAME_PATTERN);

  private static final List<String> MODULE_FIELDS =
      List.of("minimumVersion", "requireStartTls", "timeout", "serverName", "caFile", "ehloName");

  private static final YAMLMapper YAML = yamlMapper();

  private ProbeConfigFile() {}

  /**
   * The modules of {@code file}, by name, in the order written.
   *
   * @throws InvalidProbeConfigException listing every problem, each naming its field
   */
  public static Map<String, ProbeModule> read(Path file) throws InvalidProbeConfigException {
    JsonNode root;
    try {
      root = document(file);
    } catch (IOException e) {
      throw new InvalidProbeConfigException(file, List.of(firstLine(e.getMessage())));
    }
    List<String> problems = new ArrayList<>();
    Map<String, ProbeModule> modules = new LinkedHashMap<>();
    if (!root.isObject()) {
      problems.add("expected a map with the field modules");
    } else {
      unknownFields(root, "", Set.of("modules"), problems);
      JsonNode given = root.path("modules");
      if (given.isMissingNode() || given.isNull()) {
        problems.add("modules: required (a map of module names to their settings)");
      } else if (!given.isObject()) {
        problems.add("modules: expected a map of module names to their settings");
      } else if (given.size() > MAX_MODULES) {
        problems.add("modules: more than " + MAX_MODULES + " modules");
      } else {
        for (Map.Entry<String, JsonNode> entry : given.properties()) {
          module(file, entry.getKey(), entry.getValue(), problems)
              .ifPresent(m -> modules.put(m.name(), m));
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidProbeConfigException(file, problems);
    }
    return modules;
  }

  private static java.util.Optional<ProbeModule> module(
      Path file, String name, JsonNode node, List<String> problems) {
    String field = "modules." + ServerText.escaped(name, 80);
    if (!MODULE_NAME.matcher(name).matches()) {
      problems.add(
          field
              + ": a module name is 1 to 64 letters, digits, '_', '-' and '.', not starting with"
              + " '-' or '.'");
      return java.util.Optional.empty();
    }
    if (node.isNull() || (node.isObject() && node.isEmpty())) {
      // Every setting left to its default, as for a module with no field given.
      return java.util.Optional.of(
          new ProbeModule(
              name, CompliancePolicy.DEFAULT, ProbeSettings.DEFAULT_TIMEOUT, null, null, null));
    }
    if (!node.isObject()) {
      problems.add(
          field + ": expected a map of settings (" + String.join(", ", MODULE_FIELDS) + ")");
      return java.util.Optional.empty();
    }
    int before = problems.size();
    unknownFields(node, field + ".", MODULE_FIELDS, problems);
    TlsVersion minimum = minimumVersion(node.path("minimumVersion"), field, problems);
    boolean requireStartTls =
        bool(node.path("requireStartTls"), field + ".requireStartTls", true, problems);
    Duration timeout = timeout(node.path("timeout"), field + ".timeout", problems);
    String serverName = text(node.path("serverName"), field + ".serverName", problems);
    if (serverName != null
        && (serverName.length() > 253 || !DNS_NAME.matcher(serverName).matches())) {
      problems.add(
          field + ".serverName: '" + ServerText.escaped(serverName, 80) + "' is not a host name");
    }
    String ehloName = text(node.path("ehloName"), field + ".ehloName", problems);
    if (ehloName != null && !ProbeSettings.isEhloName(ehloName)) {
      problems.add(
          field
              + ".ehloName: '"
              + ServerText.escaped(ehloName, 80)
              + "' is not a host name (or an [address] literal)");
    }
    Path caFile = caFile(file, node.path("caFile"), field + ".caFile", problems);
    if (problems.size() > before) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        new ProbeModule(
            name,
            new CompliancePolicy(minimum, requireStartTls),
            timeout,
            serverName,
            caFile,
            ehloName));
  }

  private static TlsVersion minimumVersion(JsonNode node, String module, List<String> problems) {
    String text = text(node, module + ".minimumVersion", problems);
    if (text == null) {
      return CompliancePolicy.DEFAULT.minimumVersion();
    }
    return switch (text) {
      case "TLSv1.2" -> TlsVersion.TLS_1_2;
      case "TLSv1.3" -> TlsVersion.TLS_1_3;
      default -> {
        problems.add(
            module
                + ".minimumVersion: '"
                + ServerText.escaped(text, 40)
                + "' is not TLSv1.2 or TLSv1.3");
        yield CompliancePolicy.DEFAULT.minimumVersion();
      }
    };
  }

  private static Duration timeout(JsonNode node, String field, List<String> problems) {
    String text = text(node, field, problems);
    if (text == null) {
      return ProbeSettings.DEFAULT_TIMEOUT;
    }
    try {
      Duration timeout = Durations.parse(text);
      if (timeout.compareTo(ProbeModule.MIN_TIMEOUT) < 0
          || timeout.compareTo(ProbeModule.MAX_TIMEOUT) > 0) {
        problems.add(
            field
                + ": "
                + text
                + " is not between "
                + Durations.format(ProbeModule.MIN_TIMEOUT)
                + " and "
                + Durations.format(ProbeModule.MAX_TIMEOUT));
      }
      return timeout;
    } catch (IllegalArgumentException e) {
      problems.add(field + ": " + ServerText.escaped(e.getMessage(), 120));
      return ProbeSettings.DEFAULT_TIMEOUT;
    }
  }

  /** A relative path is read from the config file's directory, as Prometheus reads its files. */
  private static Path caFile(Path file, JsonNode node, String field, List<String> problems) {
    String text = text(node, field, problems);
    if (text == null) {
      return null;
    }
    Path dir = file.toAbsolutePath().getParent();
    Path path = dir == null ? Path.of(text) : dir.resolve(text);
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      problems.add(
          field + ": " + ServerText.escaped(path.toString(), 200) + " is not a readable file");
      return null;
    }
    try {
      ProbeSettings.defaults().withCaFile(path); // read now: a bad bundle is reported here
    } catch (IllegalArgumentException e) {
      problems.add(field + ": " + ServerText.clean(e.getMessage().replaceFirst("^--ca-file ", "")));
      return null;
    }
    return path;
  }

  /** A string field, null when absent; a value of another type is a problem. */
  private static String text(JsonNode node, String field, List<String> problems) {
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      problems.add(
          field
              + ": expected a string, not "
              + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
      return null;
    }
    return node.asText();
  }

  private static boolean bool(
      JsonNode node, String field, boolean fallback, List<String> problems) {
    if (node.isMissingNode() || node.isNull()) {
      return fallback;
    }
    if (!node.isBoolean()) {
      problems.add(field + ": expected true or false");
      return fallback;
    }
    return node.asBoolean();
  }

  private static void unknownFields(
      JsonNode node, String prefix, java.util.Collection<String> known, List<String> problems) {
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String name = field.getKey();
      if (!known.contains(name)) {
        problems.add(
            prefix
                + ServerText.escaped(name, 80)
                + ": unknown field (known: "
                + String.join(", ", known)
                + ")");
      }
    }
  }

  /**
   * The one YAML document of the file: a regular file only (a FIFO would block), at most {@link
   * #MAX_FILE_BYTES}, aliases and nesting bounded. An empty file is refused, not read as no
   * modules: it is more likely a file caught half written than a wish to drop every module.
   */
  private static JsonNode document(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("not a regular file");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_FILE_BYTES + 1);
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw new IOException("larger than " + MAX_FILE_BYTES + " bytes");
    }
    List<JsonNode> documents = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(bytes)) {
      while (it.hasNextValue()) {
        documents.add(it.nextValue());
        if (documents.size() > 1) {
          throw new IOException("more than one YAML document");
        }
      }
    } catch (JsonProcessingException e) {
      throw new IOException("not YAML: " + e.getOriginalMessage(), e);
    }
    if (documents.isEmpty() || documents.getFirst() == null || documents.getFirst().isNull()) {
      throw new IOException("the file is empty; expected modules: {NAME: {...}}");
    }
    return documents.getFirst();
  }

  private static YAMLMapper yamlMapper() {
    LoaderOptions limits = new LoaderOptions();
    limits.setCodePointLimit(MAX_FILE_BYTES);
    limits.setMaxAliasesForCollections(50);
    limits.setNestingDepthLimit(50);
    // A key written twice is a mistake to name, not a silent choice of the last one.
    return YAMLMapper.builder(YAMLFactory.builder().loaderOptions(limits).build())
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        // "bare:" with nothing after it is a module with every default, not the string "".
        .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
        .build();
  }

  private static String firstLine(String message) {
    return ServerText.clean(String.valueOf(message).lines().findFirst().orElse(""));
  }
}
