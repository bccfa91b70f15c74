package io.mailtls.cli;

import io.mailtls.dns.MailDomain;
import io.mailtls.policy.PolicyTarget;
import io.mailtls.text.ServerText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The targets of a scan, in the order given: arguments, the lines of standard input ({@code -}) and
 * of a file ({@code --targets-file}), one per line; blank lines and {@code #} comments are skipped.
 * A bad target is an error that names its source and line, with the line cleaned of control
 * characters and shortened.
 *
 * <p>Targets stream: {@link #next} hands on one at a time, reading no further than it needs, so a
 * scan starts with the first line and holds no list. The arguments and the file are checked whole
 * by {@link #check} before anything is probed (a bad line anywhere is a usage error, and nothing is
 * lost); standard input, which cannot be read twice, is checked line by line as it comes, on a
 * thread of its own that never keeps the JVM alive, and waited for no later than the deadline.
 */
final class TargetList {
  /** Arguments and lines alike: more is a mistake, not a scan. */
  static final int MAX_TARGETS = 100_000;

  /** The longest line of a targets file or standard input; a target itself is at most 275. */
  static final int MAX_LINE_BYTES = 1024;

  /** How much of a bad argument or line an error message quotes. */
  private static final int QUOTED_LENGTH = 80;

  private sealed interface Source {
    record Argument(String text) implements Source {}

    record StandardInput() implements Source {}

    record File(Path path) implements Source {}
  }

  private final List<Source> sources = new ArrayList<>();
  private final String serverName;
  private final InputStream stdin;

  private int known;
  private int width;
  private int given;

  private Iterator<Source> next;
  private Source current;
  private LineReader fileLines;
  private InputStream file;
  private StandardInputReader standardInput;
  private boolean standardInputRead;
  private int standardInputLeftAt;

  /**
   * @param arguments the targets given as arguments, {@code -} for standard input
   * @param targetsFile the {@code --targets-file}, {@code -} for standard input; null for none
   * @param serverName {@code --servername}, for every target that is not a mail domain
   */
  TargetList(List<String> arguments, String targetsFile, String serverName, InputStream stdin) {
    for (String argument : arguments) {
      sources.add(
          argument.equals("-") ? new Source.StandardInput() : new Source.Argument(argument));
    }
    if (targetsFile != null) {
      sources.add(
          targetsFile.equals("-")
              ? new Source.StandardInput()
              : new Source.File(Path.of(targetsFile)));
    }
    this.serverName = serverName;
    this.stdin = stdin;
  }

  /**
   * Checks every argument and every line of the file, before anything is probed; the message of the
   * exception names the bad one.
   */
  void check() {
    for (Source source : sources) {
      switch (source) {
        case Source.Argument argument ->
            count(parse(argument.text(), argumentName(argument)), argumentName(argument));
        case Source.File f -> {
          if (!Files.isRegularFile(f.path()) || !Files.isReadable(f.path())) {
            throw new IllegalArgumentException(
                "--targets-file " + f.path() + " is not a readable file");
          }
          try (InputStream in = Files.newInputStream(f.path())) {
            LineReader lines = new LineReader(in, MAX_LINE_BYTES);
            for (String line = nextLine(lines, f); line != null; line = nextLine(lines, f)) {
              PolicyTarget target = lineTarget(line, f, lines.number());
              if (target != null) {
                count(target, f.path() + " line " + lines.number());
              }
            }
          } catch (IOException e) {
            throw new IllegalArgumentException(
                "--targets-file " + f.path() + " cannot be read: " + e.getMessage());
          }
        }
        case Source.StandardInput stdinSource -> {}
      }
    }
  }

  /** Targets in the arguments and the file: all of them, unless standard input gives more. */
  int known() {
    return known;
  }

  /** Whether any targets come from standard input. */
  boolean readsStandardInput() {
    return sources.stream().anyMatch(Source.StandardInput.class::isInstance);
  }

  /** The widest of the known targets as reports name them. */
  int width() {
    return width;
  }

  /**
   * When the deadline came while standard input was still open: the number of its first line not
   * read; else 0.
   */
  int standardInputLeftAt() {
    return standardInputLeftAt;
  }

  private void count(PolicyTarget target, String where) {
    known++;
    if (known > MAX_TARGETS) {
      throw new IllegalArgumentException(where + ": more than " + MAX_TARGETS + " targets");
    }
    width = Math.max(width, name(target).length());
  }

  /**
   * The next target, or null after the last. Standard input is waited for until {@code deadline}
   * (null: for ever); when it gives nothing more by then, the rest of it is left and the next
   * source follows. A bad target ends the list: the exception names it.
   */
  PolicyTarget next(Instant deadline) throws InterruptedException {
    if (next == null) {
      next = sources.iterator();
    }
    while (true) {
      if (current == null) {
        if (!next.hasNext()) {
          return null;
        }
        current = next.next();
      }
      PolicyTarget target =
          switch (current) {
            case Source.Argument argument -> parse(argument.text(), argumentName(argument));
            case Source.File f -> nextOfFile(f);
            case Source.StandardInput s -> nextOfStandardInput(deadline);
          };
      if (target == null) {
        current = null;
        continue;
      }
      if (++given > MAX_TARGETS) {
        throw new IllegalArgumentException(where() + ": more than " + MAX_TARGETS + " targets");
      }
      if (current instanceof Source.Argument) {
        current = null;
      }
      return target;
    }
  }

  /** Where the last target came from. */
  private String where() {
    return switch (current) {
      case null -> "the arguments";
      case Source.Argument argument -> argumentName(argument);
      case Source.File f -> f.path() + " line " + fileLines.number();
      case Source.StandardInput s -> "standard input line " + standardInput.linesTaken();
    };
  }

  /** Stops reading: a file is closed, standard input is read no more. */
  void close() {
    if (standardInput != null) {
      standardInput.stop();
    }
    closeFile();
  }

  private PolicyTarget nextOfFile(Source.File f) {
    try {
      if (fileLines == null) {
        file = Files.newInputStream(f.path());
        fileLines = new LineReader(file, MAX_LINE_BYTES);
      }
      for (String line = nextLine(fileLines, f); line != null; line = nextLine(fileLines, f)) {
        PolicyTarget target = lineTarget(line, f, fileLines.number());
        if (target != null) {
          return target;
        }
      }
      closeFile();
      return null;
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--targets-file " + f.path() + " cannot be read: " + e.getMessage());
    }
  }

  private void closeFile() {
    if (file != null) {
      try {
        file.close();
      } catch (IOException e) {
        // read to the end or abandoned: nothing to lose
      }
      file = null;
      fileLines = null;
    }
  }

  private PolicyTarget nextOfStandardInput(Instant deadline) throws InterruptedException {
    if (standardInputRead) {
      return null; // it was read to its end (or left) where it came first
    }
    if (standardInput == null) {
      standardInput = new StandardInputReader(stdin);
    }
    while (true) {
      StandardInputReader.Line line = standardInput.take(deadline);
      if (line == null) { // the deadline came first
        standardInputRead = true;
        standardInputLeftAt = standardInput.linesTaken() + 1;
        standardInput.stop();
        return null;
      }
      switch (line) {
        case StandardInputReader.Line.Text text -> {
          PolicyTarget target = lineTarget(text.text(), STANDARD_INPUT, text.number());
          if (target != null) {
            return target;
          }
        }
        case StandardInputReader.Line.TooLong tooLong -> {
          standardInputRead = true;
          throw tooLong(STANDARD_INPUT, tooLong.number());
        }
        case StandardInputReader.Line.Failed failed -> {
          standardInputRead = true;
          throw new IllegalArgumentException("standard input cannot be read: " + failed.why());
        }
        case StandardInputReader.Line.End end -> {
          standardInputRead = true;
          return null;
        }
      }
    }
  }

  private static final Source STANDARD_INPUT = new Source.StandardInput();

  private static String nextLine(LineReader lines, Source.File f) throws IOException {
    try {
      return lines.next();
    } catch (LineReader.TooLong e) {
      throw tooLong(f, e.line);
    }
  }

  private static IllegalArgumentException tooLong(Source source, int line) {
    return new IllegalArgumentException(
        sourceName(source)
            + " line "
            + line
            + " is longer than "
            + MAX_LINE_BYTES
            + " bytes, the most a line may hold (is it a list of targets?)");
  }

  /** The target on a line; null for a blank line or a comment. */
  private PolicyTarget lineTarget(String line, Source source, int number) {
    int comment = line.indexOf('#');
    String target = (comment >= 0 ? line.substring(0, comment) : line).strip();
    return target.isEmpty() ? null : parse(target, sourceName(source) + " line " + number);
  }

  private PolicyTarget parse(String target, String source) {
    try {
      return PolicyTarget.parse(target, MailDomain.isDomainTarget(target) ? null : serverName);
    } catch (IllegalArgumentException e) {
      // The parser quotes what it read cleaned and shortened; this makes sure of it.
      throw new IllegalArgumentException(source + ": " + ServerText.clean(e.getMessage(), 400));
    }
  }

  private static String argumentName(Source.Argument argument) {
    return "'" + ServerText.clean(argument.text(), QUOTED_LENGTH) + "'";
  }

  private static String sourceName(Source source) {
    return switch (source) {
      case Source.File f -> f.path().toString();
      case Source.StandardInput s -> "standard input";
      case Source.Argument a -> argumentName(a);
    };
  }

  /** How reports name the target: a host target as its endpoint, a domain as mx://domain. */
  static String name(PolicyTarget target) {
    return switch (target) {
      case PolicyTarget.Host host -> host.target().endpoint().toString();
      case PolicyTarget.Domain domain -> domain.domain().toString();
    };
  }

  /**
   * Reads standard input on a daemon thread of its own, a line at a time into a short queue: the
   * scan waits for a line no later than its deadline, and a standard input that never closes holds
   * neither the scan nor the JVM.
   */
  private static final class StandardInputReader {
    sealed interface Line {
      record Text(int number, String text) implements Line {}

      record TooLong(int number) implements Line {}

      record Failed(String why) implements Line {}

      record End() implements Line {}
    }

    private final BlockingQueue<Line> lines = new ArrayBlockingQueue<>(64);
    private volatile boolean stopped;
    private int taken;

    StandardInputReader(InputStream in) {
      Thread reader =
          Thread.ofPlatform().daemon().name("mailtls-scan-stdin").unstarted(() -> read(in));
      reader.start();
    }

    private void read(InputStream in) {
      LineReader reader = new LineReader(in, MAX_LINE_BYTES);
      try {
        for (String text = reader.next(); text != null; text = reader.next()) {
          if (!put(new Line.Text(reader.number(), text))) {
            return;
          }
        }
        put(new Line.End());
      } catch (LineReader.TooLong e) {
        put(new Line.TooLong(e.line));
      } catch (IOException | RuntimeException | Error e) {
        put(new Line.Failed(ServerText.clean(String.valueOf(e), 200)));
      }
    }

    /** False once the scan wants no more. */
    private boolean put(Line line) {
      try {
        while (!stopped) {
          if (lines.offer(line, 100, TimeUnit.MILLISECONDS)) {
            return true;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return false;
    }

    /** The next line, or null when the deadline (null: none) came first. */
    Line take(Instant deadline) throws InterruptedException {
      Line line =
          deadline == null
              ? lines.take()
              : lines.poll(
                  Math.max(0, Duration.between(Instant.now(), deadline).toMillis()),
                  TimeUnit.MILLISECONDS);
      if (line instanceof Line.Text text) {
        taken = text.number();
      }
      return line;
    }

    /** The number of the last line handed on. */
    int linesTaken() {
      return taken;
    }

    void stop() {
      stopped = true;
    }
  }
}
