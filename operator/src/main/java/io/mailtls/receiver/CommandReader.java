package io.mailtls.receiver;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads SMTP command lines of bounded length from the sender. */
final class CommandReader {
  /** A command line longer than the limit: the session cannot be resynchronised. */
  static final class LineTooLong extends IOException {
    LineTooLong(int limit) {
      super("a command line longer than " + limit + " bytes");
    }
  }

  private final InputStream in;
  private final int maxLineBytes;

  CommandReader(InputStream in, int maxLineBytes) {
    this.in = in;
    this.maxLineBytes = maxLineBytes;
  }

  /** The next line without its line ending, or null when the sender closed the connection. */
  String readLine() throws IOException {
    byte[] line = new byte[Math.min(maxLineBytes, 512)];
    int length = 0;
    while (true) {
      int b = in.read();
      if (b < 0) {
        return length == 0 ? null : text(line, length);
      }
      if (b == '\n') {
        return text(line, length > 0 && line[length - 1] == '\r' ? length - 1 : length);
      }
      if (length == maxLineBytes) {
        throw new LineTooLong(maxLineBytes);
      }
      if (length == line.length) {
        line = java.util.Arrays.copyOf(line, Math.min(maxLineBytes, line.length * 2));
      }
      line[length++] = (byte) b;
    }
  }

  private static String text(byte[] line, int length) {
    return new String(line, 0, length, StandardCharsets.ISO_8859_1);
  }
}
