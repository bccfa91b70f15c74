package io.mailtls.tls;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Builds server-side TLS messages and parses ClientHellos, for tests of the codec and prober. */
public final class TestingTls {
  public static final byte[] HRR_RANDOM =
      HexFormat.of().parseHex("CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C");

  private TestingTls() {}

  /** What a ClientHello offered. */
  public record ClientHello(
      int recordVersion,
      int clientVersion,
      List<Integer> cipherSuites,
      Map<Integer, byte[]> extensions) {

    /** The version the client asks for: supported_versions when present, else client_version. */
    public int offeredVersion() {
      byte[] sv = extensions.get(ClientHelloBuilder.EXT_SUPPORTED_VERSIONS);
      if (sv == null) {
        return clientVersion;
      }
      int max = 0;
      for (int i = 1; i + 1 < sv.length; i += 2) {
        max = Math.max(max, ((sv[i] & 0xFF) << 8) | (sv[i + 1] & 0xFF));
      }
      return max;
    }

    String serverName() {
      byte[] sni = extensions.get(ClientHelloBuilder.EXT_SERVER_NAME);
      return sni == null ? null : new String(sni, 5, sni.length - 5);
    }
  }

  public static ClientHello readClientHello(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    int type = data.readUnsignedByte();
    if (type != 22) {
      throw new IOException("not a handshake record: " + type);
    }
    int recordVersion = data.readUnsignedShort();
    byte[] fragment = new byte[data.readUnsignedShort()];
    data.readFully(fragment);
    return parseClientHello(recordVersion, fragment);
  }

  public static ClientHello parseClientHello(int recordVersion, byte[] handshake) {
    ByteBuffer b = ByteBuffer.wrap(handshake);
    if (b.get() != 1) {
      throw new IllegalArgumentException("not a ClientHello");
    }
    b.position(4);
    int clientVersion = b.getShort() & 0xFFFF;
    b.position(b.position() + 32);
    int sessionIdLength = b.get() & 0xFF;
    b.position(b.position() + sessionIdLength);
    int suitesLength = b.getShort() & 0xFFFF;
    Integer[] suites = new Integer[suitesLength / 2];
    for (int i = 0; i < suites.length; i++) {
      suites[i] = b.getShort() & 0xFFFF;
    }
    int compressionLength = b.get() & 0xFF;
    b.position(b.position() + compressionLength);
    Map<Integer, byte[]> extensions = new HashMap<>();
    if (b.remaining() >= 2) {
      int end = (b.getShort() & 0xFFFF) + b.position();
      while (b.position() < end) {
        int extType = b.getShort() & 0xFFFF;
        byte[] extData = new byte[b.getShort() & 0xFFFF];
        b.get(extData);
        extensions.put(extType, extData);
      }
    }
    return new ClientHello(recordVersion, clientVersion, Arrays.asList(suites), extensions);
  }

  public static byte[] serverHello(int version, int cipherSuite) {
    return serverHello(version, cipherSuite, false);
  }

  /** A ServerHello; versions above 1.2 go into supported_versions as in RFC 8446. */
  public static byte[] serverHello(int version, int cipherSuite, boolean helloRetryRequest) {
    boolean tls13 = version > 0x0303;
    TlsWriter body = new TlsWriter();
    body.u16(tls13 ? 0x0303 : version);
    body.raw(helloRetryRequest ? HRR_RANDOM : new byte[32]);
    body.u8(0); // session id
    body.u16(cipherSuite);
    body.u8(0); // compression
    if (tls13) {
      TlsWriter ext = new TlsWriter();
      ext.u16(ClientHelloBuilder.EXT_SUPPORTED_VERSIONS);
      ext.u16(2);
      ext.u16(version);
      body.u16(ext.size());
      body.raw(ext.toByteArray());
    }
    return handshake(2, body.toByteArray());
  }

  public static byte[] certificate(byte[]... ders) {
    TlsWriter list = new TlsWriter();
    for (byte[] der : ders) {
      list.u24(der.length);
      list.raw(der);
    }
    TlsWriter body = new TlsWriter();
    body.u24(list.size());
    body.raw(list.toByteArray());
    return handshake(11, body.toByteArray());
  }

  public static byte[] serverHelloDone() {
    return handshake(14, new byte[0]);
  }

  public static byte[] handshake(int type, byte[] body) {
    TlsWriter w = new TlsWriter();
    w.u8(type);
    w.u24(body.length);
    w.raw(body);
    return w.toByteArray();
  }

  public static byte[] record(int type, byte[] fragment) {
    TlsWriter w = new TlsWriter();
    w.u8(type);
    w.u16(0x0303);
    w.u16(fragment.length);
    w.raw(fragment);
    return w.toByteArray();
  }

  public static byte[] handshakeRecord(byte[]... messages) {
    return record(22, concat(messages));
  }

  /** The same handshake bytes, cut into records of {@code size} bytes each. */
  public static byte[] fragmented(int size, byte[]... messages) {
    byte[] all = concat(messages);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < all.length; i += size) {
      out.writeBytes(record(22, Arrays.copyOfRange(all, i, Math.min(all.length, i + size))));
    }
    return out.toByteArray();
  }

  public static byte[] alert(int description) {
    return record(21, new byte[] {2, (byte) description});
  }

  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
