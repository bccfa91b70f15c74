package io.mailtls.probe;

import io.mailtls.text.ServerText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The one reader of a mail server's lines: the STARTTLS dialogue, and the greeting an implicit-TLS
 * server sends after the handshake. Bounded, so that an endless line or a server that talks forever
 * holds no memory: a line is at most {@link #MAX_LINE_BYTES}, all lines together at most {@link
 * #MAX_TEXT_BYTES}; a server that sends more is not a mail server. The first lines, cleaned, are
 * kept as the transcript for banner and software detection.
 */
final class MailLineReader {
  static final int MAX_LINE_BYTES = 4096;
  static final int MAX_TEXT_BYTES = 64 * 1024;
  private static final int MAX_TRANSCRIPT_LINES = 64;

  private final InputStream in;
  private final Supplier<String> closedWhile;
  private final List<String> transcript = new ArrayList<>();
  private int textBytes;

  /**
   * @param closedWhile what the server was doing when it closed the connection before a line ended
   */
  MailLineReader(InputStream in, Supplier<String> closedWhile) {
    this.in = in;
    this.closedWhile = closedWhile;
  }

  /** One line without its CR LF. */
  String readLine() throws IOException, ProbeException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new ProbeException(FailureKind.PROTOCOL_ERROR, closedWhile.get());
      }
      if (++textBytes > MAX_TEXT_BYTES) {
        throw new ProbeException(
            FailureKind.NOT_A_MAIL_SERVER, "more than " + MAX_TEXT_BYTES + " bytes of text");
      }
      if (b == '\n') {
        break;
      }
      if (line.size() >= MAX_LINE_BYTES) {
        throw new ProbeException(
            FailureKind.NOT_A_MAIL_SERVER, "a line longer than " + MAX_LINE_BYTES + " bytes");
      }
      line.write(b);
    }
    String text = line.toString(StandardCharsets.ISO_8859_1);
    if (text.endsWith("\r")) {
      text = text.substring(0, text.length() - 1);
    }
    if (transcript.size() < MAX_TRANSCRIPT_LINES) {
      transcript.add(ServerText.clean(text));
    }
    return text;
  }

  /** The first lines read, cleaned. */
  List<String> transcript() {
    return List.copyOf(transcript);
  }
}
