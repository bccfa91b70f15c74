package io.mailtls.api;

import com.fasterxml.jackson.databind.JsonMappingException;
import java.util.stream.Collectors;

/** Where in a resource Jackson failed, written as the API server names fields: {@code a.b[0].c}. */
public final class FieldPaths {
  private FieldPaths() {}

  /** {@code prefix} (e.g. "spec", or "" for the whole resource) followed by the failed path. */
  public static String of(String prefix, JsonMappingException e) {
    String path =
        e.getPath().stream()
            .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
            .collect(Collectors.joining());
    return prefix.isEmpty() && path.startsWith(".") ? path.substring(1) : prefix + path;
  }

  /** The first line of what Jackson said, without where (the path says that). */
  public static String problem(JsonMappingException e) {
    return String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("");
  }
}
