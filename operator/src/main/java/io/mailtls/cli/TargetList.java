package io.mailtls.cli;

import io.mailtls.policy.PolicyTarget;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The targets of a scan: given as arguments, read from a file ({@code --targets-file}) or from
 * standard input ({@code -}), one per line; blank lines and {@code #} comments are skipped. A bad
 * line is named by its source and number.
 */
final class TargetList {
  /** Arguments and file lines alike: more is a mistake, not a scan. */
  static final int MAX_TARGETS = 100_000;

  private final List<String> targets = new ArrayList<>();

  List<String> targets() {
    return targets;
  }

  /** Checks the target's form; the message names where it came from. */
  void add(String target, String source) {
    try {
      PolicyTarget.parse(target, null);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage());
    }
    if (targets.size() >= MAX_TARGETS) {
      throw new IllegalArgumentException(source + ": more than " + MAX_TARGETS + " targets");
    }
    targets.add(target);
  }

  void addFile(Path file) {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException("--targets-file " + file + " is not a readable file");
    }
    try (InputStream in = Files.newInputStream(file)) {
      addLines(in, file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void addLines(InputStream in, String name) throws IOException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    int number = 0;
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      number++;
      int comment = line.indexOf('#');
      String target = (comment >= 0 ? line.substring(0, comment) : line).strip();
      if (!target.isEmpty()) {
        add(target, name + " line " + number);
      }
    }
  }
}
