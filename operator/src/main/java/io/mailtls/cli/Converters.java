package io.mailtls.cli;

import io.mailtls.policy.PolicyTarget;
import io.mailtls.text.Durations;
import io.mailtls.tls.TlsVersion;
import java.time.Duration;
import picocli.CommandLine;

/** Turns command-line words into engine types; a bad word becomes a usage error (exit 2). */
final class Converters {

  private Converters() {}

  /** Checks a target's form at once (a usage error names it); the command parses it again. */
  static final class TargetConverter implements CommandLine.ITypeConverter<String> {
    @Override
    public String convert(String value) {
      try {
        PolicyTarget.parse(value, null);
        return value;
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  static final class VersionConverter implements CommandLine.ITypeConverter<TlsVersion> {
    @Override
    public TlsVersion convert(String value) {
      try {
        return TlsVersion.fromLabel(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** A TCP port to listen on: 0 (any free one) to 65535. */
  static final class PortConverter implements CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      try {
        int port = Integer.parseInt(value.strip());
        if (port >= 0 && port <= 65535) {
          return port;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not a port (0 to 65535, 0 for any free one)");
    }
  }

  /** Accepts {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h30m} or ISO-8601 ({@code PT10S}). */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return value.startsWith("P") ? Duration.parse(value) : Durations.parse(value);
      } catch (RuntimeException e) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not a duration: write e.g. 500ms, 10s, 2m");
      }
    }
  }
}
