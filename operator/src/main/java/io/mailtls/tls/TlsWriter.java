package io.mailtls.tls;

import java.io.ByteArrayOutputStream;

/** A small big-endian writer for TLS structures: integers and length-prefixed vectors. */
final class TlsWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  TlsWriter u8(int v) {
    out.write(v);
    return this;
  }

  TlsWriter u16(int v) {
    out.write(v >>> 8);
    out.write(v);
    return this;
  }

  TlsWriter u24(int v) {
    out.write(v >>> 16);
    return u16(v);
  }

  TlsWriter raw(byte[] b) {
    out.writeBytes(b);
    return this;
  }

  TlsWriter vector8(byte[] b) {
    return u8(b.length).raw(b);
  }

  TlsWriter vector16(byte[] b) {
    return u16(b.length).raw(b);
  }

  TlsWriter vector24(byte[] b) {
    return u24(b.length).raw(b);
  }

  int size() {
    return out.size();
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }
}
