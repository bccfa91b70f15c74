package io.mailtls.http;

import java.util.Map;
import java.util.function.Function;

/**
 * A request to one of the {@link AdminServer}'s computed paths, as much of it as the answer needs.
 *
 * @param parameters the query parameters, decoded, each name at most once
 * @param headers the value of a header by its name (case-insensitive), or null when absent
 */
public record Request(Map<String, String> parameters, Function<String, String> headers) {
  public Request {
    parameters = Map.copyOf(parameters);
  }

  public String header(String name) {
    return headers.apply(name);
  }
}
