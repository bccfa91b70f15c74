package io.mailtls.receiver;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The receiver's side of the TLS handshake. A sender that refuses the certificate sends its alert
 * and closes at once, often while the receiver is still writing the rest of its flight; the write
 * then fails, and the TLS stack would give up without reading the alert that came before. So during
 * the handshake a failed write is remembered and what follows is dropped, and the stack goes on to
 * read the sender's answer: its alert, or the end of the connection. Once the handshake is done
 * ({@link #handshakeDone}), a failed write fails as usual.
 */
final class HandshakeOutput extends FilterOutputStream {
  private boolean handshaking = true;
  private IOException failure;

  HandshakeOutput(OutputStream out) {
    super(out);
  }

  /** Whether a write has failed: the sender is gone. */
  boolean writeFailed() {
    return failure != null;
  }

  void handshakeDone() {
    handshaking = false;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (failure != null) {
      if (handshaking) {
        return;
      }
      throw failure;
    }
    try {
      out.write(b, off, len);
    } catch (IOException e) {
      failure = e;
      if (!handshaking) {
        throw e;
      }
    }
  }

  @Override
  public void flush() throws IOException {
    if (failure == null) {
      try {
        out.flush();
      } catch (IOException e) {
        failure = e;
      }
    }
    if (failure != null && !handshaking) {
      throw failure;
    }
  }
}
