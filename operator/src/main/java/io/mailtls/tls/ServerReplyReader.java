package io.mailtls.tls;

import io.mailtls.text.ServerText;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads a server's answer to our ClientHello: TLS records, reassembling handshake messages that are
 * split across records or share one. Reads at most {@code maxBytes}, so a huge certificate chain or
 * an endless stream cannot exhaust memory.
 */
public final class ServerReplyReader {
  /** Enough for a ServerHello plus a long certificate chain; more is not read. */
  public static final int MAX_HANDSHAKE_BYTES = 256 * 1024;

  static final int RECORD_CHANGE_CIPHER_SPEC = 20;
  static final int RECORD_ALERT = 21;
  static final int RECORD_HANDSHAKE = 22;
  static final int RECORD_APPLICATION_DATA = 23;

  static final int SERVER_HELLO = 2;
  static final int CERTIFICATE = 11;
  static final int SERVER_HELLO_DONE = 14;

  /** TLS 1.3 marks a HelloRetryRequest by this fixed ServerHello.random (RFC 8446 4.1.3). */
  private static final byte[] HELLO_RETRY_REQUEST_RANDOM =
      HexFormat.of().parseHex("CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C");

  private static final int MAX_RECORD_LENGTH = 16384 + 2048;
  private static final int ALERT_LEVEL_WARNING = 1;
  private static final int CLOSE_NOTIFY = 0;
  private static final int USER_CANCELED = 90;

  /** Warnings skipped before the answer; a peer that sends more is not answering. */
  static final int MAX_WARNINGS = 8;

  private static final int MAX_CERTIFICATES = 16;

  private final InputStream in;
  private final int maxBytes;
  private int bytesRead;

  /** Handshake bytes received but not yet parsed into messages. */
  private byte[] pending = new byte[4096];

  private int pendingStart;
  private int pendingEnd;

  public ServerReplyReader(InputStream in, int maxBytes) {
    this.in = in;
    this.maxBytes = maxBytes;
  }

  /**
   * Reads until the answer is clear. I/O errors before a ServerHello propagate (the caller tells a
   * reset from a timeout); after it they only end certificate capture.
   */
  public ServerReply read() throws IOException {
    ServerReply.Hello hello = null;
    int warnings = 0;
    while (true) {
      byte[] header = new byte[5];
      try {
        if (!readRecordHeader(header)) {
          return hello != null ? hello : new ServerReply.Closed();
        }
        int type = header[0] & 0xFF;
        int major = header[1] & 0xFF;
        int length = ((header[3] & 0xFF) << 8) | (header[4] & 0xFF);
        if (type < RECORD_CHANGE_CIPHER_SPEC
            || type > RECORD_APPLICATION_DATA
            || major != 3
            || length > MAX_RECORD_LENGTH) {
          return hello != null ? hello : new ServerReply.NotTls(preview(header));
        }
        if (bytesRead + length > maxBytes) {
          return hello != null ? hello : new ServerReply.NotTls("reply larger than " + maxBytes);
        }
        byte[] fragment = readFully(length);
        if (type == RECORD_ALERT) {
          if (hello != null) {
            return hello;
          }
          if (fragment.length < 2) {
            return new ServerReply.NotTls("truncated alert");
          }
          int level = fragment[0] & 0xFF;
          int description = fragment[1] & 0xFF;
          if (isWarningToSkip(level, description)) {
            // OpenSSL warns unrecognized_name for an unknown SNI name and then completes the
            // handshake: a warning is not a refusal, so read on.
            if (++warnings > MAX_WARNINGS) {
              return new ServerReply.Inconclusive(
                  "more than " + MAX_WARNINGS + " warning alerts and no answer");
            }
            continue;
          }
          return new ServerReply.Alert(level, description);
        }
        if (type != RECORD_HANDSHAKE) {
          // ChangeCipherSpec or encrypted data: nothing more in the clear.
          return hello != null ? hello : new ServerReply.NotTls("unexpected record type " + type);
        }
        append(fragment);
        for (byte[] message = nextMessage(); message != null; message = nextMessage()) {
          int messageType = message[0] & 0xFF;
          if (hello == null) {
            if (messageType != SERVER_HELLO) {
              return new ServerReply.NotTls("handshake message " + messageType + " before hello");
            }
            hello = parseServerHello(message);
            if (hello.version() > TlsVersion.TLS_1_2.code() || hello.helloRetryRequest()) {
              return hello; // TLS 1.3 encrypts everything after the ServerHello.
            }
          } else if (messageType == CERTIFICATE) {
            return new ServerReply.Hello(
                hello.version(), hello.cipherSuite(), false, parseCertificates(message));
          } else if (messageType == SERVER_HELLO_DONE) {
            return hello; // an anonymous suite: no certificate
          }
        }
      } catch (IOException | RuntimeException e) {
        if (hello != null) {
          return hello; // the version is accepted; the chain is just not available
        }
        if (e instanceof IOException io) {
          throw io;
        }
        return new ServerReply.NotTls("malformed handshake: " + e.getMessage());
      }
    }
  }

  /**
   * Only fatal alerts refuse a version. A warning is skipped, except close_notify and
   * user_canceled, which announce that the peer is closing.
   */
  private static boolean isWarningToSkip(int level, int description) {
    return level == ALERT_LEVEL_WARNING
        && description != CLOSE_NOTIFY
        && description != USER_CANCELED;
  }

  private boolean readRecordHeader(byte[] header) throws IOException {
    int first = in.read();
    if (first < 0) {
      return false;
    }
    bytesRead++;
    header[0] = (byte) first;
    byte[] rest = readFully(4);
    System.arraycopy(rest, 0, header, 1, 4);
    return true;
  }

  private byte[] readFully(int length) throws IOException {
    byte[] data = in.readNBytes(length);
    bytesRead += data.length;
    if (data.length < length) {
      throw new EOFException("connection closed inside a TLS record");
    }
    return data;
  }

  private String preview(byte[] header) throws IOException {
    int extra = Math.min(in.available(), 120);
    byte[] more = in.readNBytes(extra);
    byte[] all = Arrays.copyOf(header, header.length + more.length);
    System.arraycopy(more, 0, all, header.length, more.length);
    return ServerText.clean(new String(all, StandardCharsets.ISO_8859_1), 80);
  }

  private void append(byte[] fragment) {
    if (pendingEnd + fragment.length > pending.length) {
      int live = pendingEnd - pendingStart;
      byte[] grown = new byte[Math.max(pending.length, 2 * (live + fragment.length))];
      System.arraycopy(pending, pendingStart, grown, 0, live);
      pending = grown;
      pendingStart = 0;
      pendingEnd = live;
    }
    System.arraycopy(fragment, 0, pending, pendingEnd, fragment.length);
    pendingEnd += fragment.length;
  }

  /** The next complete handshake message (type + length + body), or null if incomplete. */
  private byte[] nextMessage() {
    int available = pendingEnd - pendingStart;
    if (available < 4) {
      return null;
    }
    int length =
        ((pending[pendingStart + 1] & 0xFF) << 16)
            | ((pending[pendingStart + 2] & 0xFF) << 8)
            | (pending[pendingStart + 3] & 0xFF);
    if (available < 4 + length) {
      return null;
    }
    byte[] message = Arrays.copyOfRange(pending, pendingStart, pendingStart + 4 + length);
    pendingStart += 4 + length;
    return message;
  }

  static ServerReply.Hello parseServerHello(byte[] message) {
    ByteBuffer b = ByteBuffer.wrap(message, 4, message.length - 4);
    int version = u16(b);
    byte[] random = new byte[32];
    b.get(random);
    int sessionIdLength = u8(b);
    b.position(b.position() + sessionIdLength);
    int cipherSuite = u16(b);
    b.get(); // compression method
    if (b.remaining() >= 2) {
      int extensionsEnd = u16(b) + b.position();
      while (b.position() + 4 <= extensionsEnd) {
        int type = u16(b);
        int length = u16(b);
        if (type == ClientHelloBuilder.EXT_SUPPORTED_VERSIONS && length == 2) {
          version = u16(b);
        } else {
          b.position(b.position() + length);
        }
      }
    }
    boolean retry = Arrays.equals(random, HELLO_RETRY_REQUEST_RANDOM);
    return new ServerReply.Hello(version, cipherSuite, retry, List.of());
  }

  static List<byte[]> parseCertificates(byte[] message) {
    ByteBuffer b = ByteBuffer.wrap(message, 4, message.length - 4);
    int end = u24(b) + b.position();
    List<byte[]> certificates = new ArrayList<>();
    while (b.position() + 3 <= end && certificates.size() < MAX_CERTIFICATES) {
      byte[] der = new byte[u24(b)];
      b.get(der);
      certificates.add(der);
    }
    return certificates;
  }

  private static int u8(ByteBuffer b) {
    return b.get() & 0xFF;
  }

  private static int u16(ByteBuffer b) {
    return b.getShort() & 0xFFFF;
  }

  private static int u24(ByteBuffer b) {
    return (u8(b) << 16) | u16(b);
  }
}
