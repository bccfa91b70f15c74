package io.mailtls.exporter;

import java.nio.file.Path;
import java.util.List;

/** A probe config file that cannot be used; each problem names its field. */
public final class InvalidProbeConfigException extends Exception {
  private final List<String> problems;

  InvalidProbeConfigException(Path file, List<String> problems) {
    super(file + ": " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  /** One line per problem, e.g. {@code modules.strict.timeout: '5x' is not a duration …}. */
  public List<String> problems() {
    return problems;
  }
}
