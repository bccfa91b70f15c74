package io.mailtls.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a MailEndpointPolicy or a MailSenderPolicy the way the Kubernetes API server checks it
 * against the generated CRD: defaults first, then the OpenAPI schema with unknown fields rejected
 * (kubectl's strict field validation), then the CEL rules ({@code x-kubernetes-validations}).
 * Errors name the field, as the API server's do. Used where no API server checks for us: policy
 * files of the standalone mode, and tests of the CRD itself.
 */
public final class PolicySchema {
  /** Where the crd-generator Maven plugin puts the CRDs, inside the jar. */
  public static final String CRD_RESOURCE =
      "META-INF/fabric8/mailendpointpolicies.mailtls.io-v1.yml";

  public static final String SENDER_CRD_RESOURCE =
      "META-INF/fabric8/mailsenderpolicies.mailtls.io-v1.yml";

  private static final Cel CEL =
      CelFactory.standardCelBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("self", SimpleType.DYN)
          .build();

  private final JsonNode openApiSchema;
  private final Schema jsonSchema;

  private PolicySchema(JsonNode crd) {
    this.openApiSchema = crd.at("/spec/versions/0/schema/openAPIV3Schema");
    ObjectNode strict = openApiSchema.deepCopy();
    ObjectNode root = (ObjectNode) strict.get("properties");
    root.putObject("apiVersion").put("type", "string");
    root.putObject("kind").put("type", "string");
    root.putObject("metadata").put("type", "object");
    rejectUnknownFields(strict);
    this.jsonSchema =
        SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4)
            .getSchema(strict.toString(), InputFormat.JSON);
  }

  /** The MailEndpointPolicy CRD that the build generated, read from the classpath. */
  public static PolicySchema fromClasspath() {
    return fromClasspath(CRD_RESOURCE);
  }

  /** The MailSenderPolicy CRD that the build generated, read from the classpath. */
  public static PolicySchema forSenderPolicies() {
    return fromClasspath(SENDER_CRD_RESOURCE);
  }

  private static PolicySchema fromClasspath(String resource) {
    try (InputStream in = PolicySchema.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing: was the CRD generated?");
      }
      return new PolicySchema(new YAMLMapper().readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A copy of the policy with the schema's defaults filled in, as the API server stores it. */
  public JsonNode withDefaults(JsonNode policy) {
    JsonNode copy = policy.deepCopy();
    applyDefaults(openApiSchema, copy);
    return copy;
  }

  /**
   * The reasons the API server would refuse the policy, each starting with the field's path (for
   * example {@code spec.endpoints[0].target}); empty when it would accept it. Defaults are applied
   * first.
   */
  public List<String> validate(JsonNode policy) {
    JsonNode defaulted = withDefaults(policy);
    List<String> errors = new ArrayList<>();
    for (Error error : jsonSchema.validate(defaulted.toString(), InputFormat.JSON)) {
      errors.add(fieldPath(error.getInstanceLocation()) + ": " + error.getMessage());
    }
    if (errors.isEmpty()) {
      checkRules(openApiSchema, defaulted, "", errors);
    }
    return errors;
  }

  private static void checkRules(JsonNode schema, JsonNode value, String path, List<String> out) {
    for (JsonNode rule : schema.path("x-kubernetes-validations")) {
      if (!evaluate(rule.get("rule").asText(), value)) {
        String field = path + rule.path("fieldPath").asText("");
        out.add(
            (field.startsWith(".") ? field.substring(1) : field)
                + ": "
                + rule.get("message").asText());
      }
    }
    if (value.isObject()) {
      for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
        if (value.has(property.getKey())) {
          checkRules(
              property.getValue(),
              value.get(property.getKey()),
              path + "." + property.getKey(),
              out);
        }
      }
    } else if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        checkRules(schema.path("items"), value.get(i), path + "[" + i + "]", out);
      }
    }
  }

  private static boolean evaluate(String rule, JsonNode self) {
    try {
      CelAbstractSyntaxTree ast = CEL.compile(rule).getAst();
      return Boolean.TRUE.equals(CEL.createProgram(ast).eval(Map.of("self", celValue(self))));
    } catch (CelValidationException e) {
      throw new IllegalStateException("the CRD has a CEL rule that does not compile: " + rule, e);
    } catch (CelEvaluationException e) {
      // The API server also refuses an object whose rule fails to evaluate.
      return false;
    }
  }

  /** JSON as CEL sees it: objects are maps, integers are int64. */
  private static Object celValue(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      node.properties().forEach(e -> map.put(e.getKey(), celValue(e.getValue())));
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(n -> list.add(celValue(n)));
      return list;
    }
    if (node.isIntegralNumber()) {
      return node.asLong();
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    return node.isBoolean() ? (Object) node.asBoolean() : node.asText();
  }

  private static void applyDefaults(JsonNode schema, JsonNode value) {
    if (value instanceof ObjectNode object) {
      schema
          .path("properties")
          .properties()
          .forEach(
              property -> {
                JsonNode propertySchema = property.getValue();
                if (!object.has(property.getKey()) && propertySchema.has("default")) {
                  object.set(property.getKey(), propertySchema.get("default").deepCopy());
                }
                if (object.has(property.getKey())) {
                  applyDefaults(propertySchema, object.get(property.getKey()));
                }
              });
    } else if (value instanceof ArrayNode array) {
      array.forEach(item -> applyDefaults(schema.path("items"), item));
    }
  }

  /**
   * Structural schemas prune unknown fields; kubectl's strict validation refuses them. The
   * Kubernetes extensions go: JSON Schema does not know them, and the CEL rules run apart.
   */
  private static void rejectUnknownFields(JsonNode schema) {
    if (schema instanceof ObjectNode object) {
      object.remove(
          List.of(
              "x-kubernetes-validations", "x-kubernetes-list-type", "x-kubernetes-list-map-keys"));
      if (object.has("properties") && !object.has("x-kubernetes-preserve-unknown-fields")) {
        object.put("additionalProperties", false);
      }
      object.path("properties").forEach(PolicySchema::rejectUnknownFields);
      rejectUnknownFields(object.path("items"));
    }
  }

  /** A location as Kubernetes writes it: {@code spec.endpoints[0].target}. */
  private static String fieldPath(NodePath location) {
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < location.getNameCount(); i++) {
      Object element = location.getElement(i);
      if (element instanceof Integer index) {
        path.append('[').append(index).append(']');
      } else {
        path.append(path.isEmpty() ? "" : ".").append(element);
      }
    }
    return path.toString();
  }
}
