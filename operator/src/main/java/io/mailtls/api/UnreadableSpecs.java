package io.mailtls.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * Reading a stored spec never fails. An object the API server kept but this version cannot read (an
 * enum value it does not know, a wrong type, a field of another CRD version: possible after a CRD
 * upgrade or downgrade, or with validation off) would otherwise fail in the informer, and JOSDK
 * stops the whole operator on that, after every restart again. Instead it becomes a spec marked
 * {@link MailEndpointPolicySpec#unreadable}, which that one policy reports as InvalidSpec (the
 * operator's cloner keeps the mark on the copies JOSDK makes, see PolicyCloner). Only the status is
 * ever written, so the stored spec stays as the user wrote it.
 */
final class UnreadableSpecs {
  private UnreadableSpecs() {}

  /** The spec's own deserializer switched off, so that the strict reading is the plain one. */
  @JsonDeserialize
  private interface Plain {}

  private static final JsonMapper STRICT =
      JsonMapper.builder()
          .addMixIn(MailEndpointPolicySpec.class, Plain.class)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .build();

  static final class Deserializer extends JsonDeserializer<MailEndpointPolicySpec> {
    @Override
    public MailEndpointPolicySpec deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      JsonNode tree = parser.readValueAsTree();
      try {
        return STRICT.treeToValue(tree, MailEndpointPolicySpec.class);
      } catch (JsonMappingException e) {
        return MailEndpointPolicySpec.unreadable(describe(e));
      }
    }
  }

  /** {@code spec.endpoints[0].target: …}, from where the reading failed. */
  static String describe(JsonMappingException e) {
    return FieldPaths.of("spec", e) + ": cannot be read: " + FieldPaths.problem(e);
  }
}
