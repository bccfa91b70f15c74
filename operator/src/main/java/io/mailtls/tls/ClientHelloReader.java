package io.mailtls.tls;

import io.mailtls.text.ServerText;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a client's first TLS flight up to the end of its ClientHello, straight from the socket, and
 * parses it. The bytes read are kept so that a TLS library can be handed the same stream
 * afterwards. A hello split over many records or many TCP segments is reassembled; anything that is
 * not a ClientHello, or larger than {@link #MAX_HELLO_BYTES}, is a {@link MalformedHello}.
 */
public final class ClientHelloReader {
  /**
   * Far above real hellos (a few hundred bytes; about 2 KiB with a post-quantum key share) and
   * still small enough that a hostile client cannot make the receiver hold much per session.
   */
  public static final int MAX_HELLO_BYTES = 16 * 1024;

  /** Room for a real hello fragmented into one-byte records (six bytes on the wire per byte). */
  public static final int MAX_RAW_BYTES = 64 * 1024;

  private static final int RECORD_HEADER = 5;
  private static final int CONTENT_HANDSHAKE = 22;
  private static final int MAX_RECORD_PAYLOAD = 16384 + 2048;

  /** A ClientHello and the exact bytes that carried it. */
  public record Capture(ClientHello hello, byte[] raw) {}

  /** The client sent something other than a complete, well-formed ClientHello. */
  public static final class MalformedHello extends IOException {
    public MalformedHello(String message) {
      super(message);
    }
  }

  private ClientHelloReader() {}

  public static Capture read(InputStream in) throws IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    byte[] first = readFully(in, 1, raw);
    if ((first[0] & 0x80) != 0) {
      return readSslv2(in, first[0], raw);
    }
    ByteArrayOutputStream handshake = new ByteArrayOutputStream();
    int helloLength = -1;
    byte[] header = concat(first, readFully(in, RECORD_HEADER - 1, raw));
    while (true) {
      if ((header[0] & 0xFF) != CONTENT_HANDSHAKE) {
        throw new MalformedHello(
            String.format("not a TLS handshake record (first byte 0x%02x)", header[0] & 0xFF));
      }
      int length = u16(header, 3);
      if (length == 0 || length > MAX_RECORD_PAYLOAD) {
        throw new MalformedHello("a TLS record of impossible length " + length);
      }
      handshake.writeBytes(readFully(in, length, raw));
      if (helloLength < 0 && handshake.size() >= 4) {
        byte[] start = handshake.toByteArray(); // once: the message header
        if (start[0] != ClientHelloBuilder.HANDSHAKE_CLIENT_HELLO) {
          throw new MalformedHello("the first handshake message is not a ClientHello");
        }
        helloLength = ((start[1] & 0xFF) << 16) | u16(start, 2);
        if (helloLength > MAX_HELLO_BYTES) {
          throw new MalformedHello(
              "a ClientHello of " + helloLength + " bytes (limit " + MAX_HELLO_BYTES + ")");
        }
      }
      if (helloLength >= 0 && handshake.size() >= 4 + helloLength) {
        ByteBuffer body = ByteBuffer.wrap(handshake.toByteArray(), 4, helloLength);
        return new Capture(parseBody(body), raw.toByteArray());
      }
      header = readFully(in, RECORD_HEADER, raw);
    }
  }

  private static ClientHello parseBody(ByteBuffer body) throws MalformedHello {
    try {
      int legacyVersion = u16(body);
      body.position(body.position() + 32); // random
      skip(body, u8(body)); // session id
      List<Integer> suites = new ArrayList<>();
      ByteBuffer suiteBytes = slice(body, u16(body));
      while (suiteBytes.hasRemaining()) {
        int suite = u16(suiteBytes);
        if (!isSignalling(suite)) {
          suites.add(suite);
        }
      }
      skip(body, u8(body)); // compression methods
      List<TlsVersion> supported = null;
      String serverName = null;
      if (body.hasRemaining()) {
        ByteBuffer extensions = slice(body, u16(body));
        while (extensions.hasRemaining()) {
          int type = u16(extensions);
          ByteBuffer data = slice(extensions, u16(extensions));
          if (type == ClientHelloBuilder.EXT_SUPPORTED_VERSIONS) {
            supported = supportedVersions(data);
          } else if (type == ClientHelloBuilder.EXT_SERVER_NAME) {
            serverName = hostName(data);
          }
        }
      }
      List<TlsVersion> offered =
          supported != null
              ? supported
              : TlsVersion.fromCode(legacyVersion).map(List::of).orElse(List.of());
      return new ClientHello(offered, supported != null, suites, serverName, false);
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw new MalformedHello("a ClientHello whose fields overrun its length");
    }
  }

  private static List<TlsVersion> supportedVersions(ByteBuffer data) {
    ByteBuffer list = slice(data, u8(data));
    List<TlsVersion> versions = new ArrayList<>();
    while (list.hasRemaining()) {
      TlsVersion.fromCode(u16(list)).ifPresent(versions::add); // GREASE and drafts are skipped
    }
    return versions.stream().distinct().sorted().toList();
  }

  private static String hostName(ByteBuffer data) {
    ByteBuffer list = slice(data, u16(data));
    while (list.hasRemaining()) {
      int type = u8(list);
      byte[] name = new byte[u16(list)];
      list.get(name);
      if (type == 0) {
        return ServerText.clean(new String(name, StandardCharsets.US_ASCII), 253);
      }
    }
    return null;
  }

  /**
   * The SSLv2-compatible hello (a two-byte header with the top bit set) of clients from the SSLv3
   * era: it carries a version and three-byte cipher specs, and no extensions.
   */
  private static Capture readSslv2(InputStream in, byte first, ByteArrayOutputStream raw)
      throws IOException {
    int length = ((first & 0x7F) << 8) | (readFully(in, 1, raw)[0] & 0xFF);
    if (length < 9) {
      throw new MalformedHello("an SSLv2-format hello of impossible length " + length);
    }
    ByteBuffer body = ByteBuffer.wrap(readFully(in, length, raw));
    try {
      if (u8(body) != ClientHelloBuilder.HANDSHAKE_CLIENT_HELLO) {
        throw new MalformedHello("an SSLv2-format record that is not a ClientHello");
      }
      int version = u16(body);
      ByteBuffer specs = ByteBuffer.wrap(new byte[u16(body)]);
      skip(body, 4); // session id and challenge lengths
      body.get(specs.array());
      List<Integer> suites = new ArrayList<>();
      while (specs.remaining() >= 3) {
        int high = u8(specs);
        int code = u16(specs);
        if (high == 0 && !isSignalling(code)) {
          suites.add(code);
        }
      }
      List<TlsVersion> offered = TlsVersion.fromCode(version).map(List::of).orElse(List.of());
      return new Capture(new ClientHello(offered, false, suites, null, true), raw.toByteArray());
    } catch (BufferUnderflowException e) {
      throw new MalformedHello("an SSLv2-format hello whose fields overrun its length");
    }
  }

  /**
   * The renegotiation SCSV and GREASE values are signals, not suites. (The fallback SCSV is kept
   * for {@link ClientHello}, which records it as a signal.)
   */
  private static boolean isSignalling(int suite) {
    return suite == CipherSuites.EMPTY_RENEGOTIATION_INFO_SCSV || (suite & 0x0F0F) == 0x0A0A;
  }

  private static byte[] readFully(InputStream in, int n, ByteArrayOutputStream raw)
      throws IOException {
    if (raw.size() + n > MAX_RAW_BYTES) {
      throw new MalformedHello(
          "more than " + MAX_RAW_BYTES + " bytes without a complete ClientHello");
    }
    byte[] b = in.readNBytes(n);
    raw.writeBytes(b);
    if (b.length < n) {
      throw new EOFException("the client closed the connection inside its ClientHello");
    }
    return b;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = new byte[a.length + b.length];
    System.arraycopy(a, 0, c, 0, a.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  private static ByteBuffer slice(ByteBuffer b, int length) {
    if (length > b.remaining()) {
      throw new BufferUnderflowException();
    }
    ByteBuffer s = b.slice(b.position(), length);
    b.position(b.position() + length);
    return s;
  }

  private static void skip(ByteBuffer b, int n) {
    slice(b, n);
  }

  private static int u8(ByteBuffer b) {
    return b.get() & 0xFF;
  }

  private static int u16(ByteBuffer b) {
    return b.getShort() & 0xFFFF;
  }

  private static int u16(byte[] b, int offset) {
    return ((b[offset] & 0xFF) << 8) | (b[offset + 1] & 0xFF);
  }
}
