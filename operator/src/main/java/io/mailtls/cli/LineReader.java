package io.mailtls.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The lines of a byte stream, each at most {@code maxBytes} long: a longer line is an error, and
 * the rest of it is never read (so a file that is one endless line costs {@code maxBytes}, not its
 * size). A line ends at {@code \n}, {@code \r\n} or {@code \r}, as {@link
 * java.io.BufferedReader#readLine()} has it; it is decoded as UTF-8, a byte that is not becoming
 * U+FFFD. A line is handed on as soon as its end has arrived: a pipe is not read ahead.
 */
final class LineReader {
  /** A line longer than the bound; its number is that of the line. */
  static final class TooLong extends Exception {
    final int line;

    TooLong(int line) {
      super(null, null, false, false);
      this.line = line;
    }
  }

  private final InputStream in;
  private final int maxBytes;
  private final byte[] line;
  private final byte[] buffer = new byte[8192];
  private int position;
  private int limit;
  private boolean skipNewline;
  private boolean ended;
  private int number;

  LineReader(InputStream in, int maxBytes) {
    this.in = in;
    this.maxBytes = maxBytes;
    this.line = new byte[maxBytes];
  }

  /** The number of the last line read (1 for the first). */
  int number() {
    return number;
  }

  /** The next line, without its end; null at the end of the stream. */
  String next() throws IOException, TooLong {
    if (ended) {
      return null;
    }
    int length = 0;
    while (true) {
      int b = read();
      if (b == '\n' && skipNewline) {
        skipNewline = false;
        continue;
      }
      skipNewline = false;
      if (b < 0) {
        ended = true;
        if (length == 0) {
          return null;
        }
        break;
      }
      if (b == '\n') {
        break;
      }
      if (b == '\r') {
        skipNewline = true; // a \n right after belongs to this line's end: read it with the next
        break;
      }
      if (length == maxBytes) {
        number++;
        ended = true; // nothing of this stream is read any more
        throw new TooLong(number);
      }
      line[length++] = (byte) b;
    }
    number++;
    String text = new String(line, 0, length, StandardCharsets.UTF_8);
    return number == 1 && text.startsWith("\uFEFF") ? text.substring(1) : text; // a BOM
  }

  private int read() throws IOException {
    if (position == limit) {
      int read = in.read(buffer, 0, buffer.length);
      if (read <= 0) {
        return -1;
      }
      position = 0;
      limit = read;
    }
    return buffer[position++] & 0xff;
  }
}
