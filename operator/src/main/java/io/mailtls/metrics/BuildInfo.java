package io.mailtls.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Which build this is: the version from the jar's manifest and the commit it was built from
 * (mailtls-git.properties, written at build time). Shown by {@code --version} and as the labels of
 * {@code mailtls_build_info}.
 *
 * @param version the project version; "unknown" outside a jar (tests, an IDE)
 * @param commit the abbreviated commit id; "unknown" when the build had no git directory
 * @param dirty whether the build had uncommitted changes
 */
public record BuildInfo(String version, String commit, boolean dirty) {
  private static final String UNKNOWN = "unknown";

  public static BuildInfo current() {
    String version = BuildInfo.class.getPackage().getImplementationVersion();
    Properties git = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("/mailtls-git.properties")) {
      if (in != null) {
        git.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new BuildInfo(
        version == null ? UNKNOWN : version,
        git.getProperty("git.commit.id.abbrev", UNKNOWN),
        Boolean.parseBoolean(git.getProperty("git.dirty", "false")));
  }
}
