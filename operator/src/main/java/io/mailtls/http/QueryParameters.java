package io.mailtls.http;

import io.mailtls.text.ServerText;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A URL's query, {@code a=1&b=2}, read strictly: a parameter given twice is an error rather than a
 * silent choice between two targets, and so is a query that is not properly percent-encoded.
 */
final class QueryParameters {
  /** Longer queries are refused: a target and a module name fit in far less. */
  static final int MAX_QUERY_CHARS = 4096;

  private QueryParameters() {}

  /**
   * The parameters of {@code rawQuery} (still percent-encoded; null for none), decoded as UTF-8.
   *
   * @throws IllegalArgumentException naming the problem
   */
  static Map<String, String> parse(String rawQuery) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return parameters;
    }
    if (rawQuery.length() > MAX_QUERY_CHARS) {
      throw new IllegalArgumentException(
          "the query is longer than " + MAX_QUERY_CHARS + " characters");
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = decode(equals < 0 ? pair : pair.substring(0, equals));
      String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
      if (parameters.put(name, value) != null) {
        throw new IllegalArgumentException(
            "the parameter '" + ServerText.escaped(name, 64) + "' is given twice");
      }
    }
    return parameters;
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the query is not properly percent-encoded", e);
    }
  }
}
