package io.mailtls;

import java.nio.file.Path;

/** Where the project's files are, for tests that read them (set by the build). */
public final class TestingProject {
  public static final Path ROOT =
      Path.of(System.getProperty("mailtls.project.root", "..")).toAbsolutePath().normalize();

  private TestingProject() {}
}
