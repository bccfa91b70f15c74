package io.mailtls.receiver;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Fails once a sender has sent more than a session may: memory and time stay bounded. */
final class BoundedInputStream extends FilterInputStream {
  /** The sender went past the session's byte limit. */
  static final class SessionTooLarge extends IOException {
    SessionTooLarge(long limit) {
      super("more than " + limit + " bytes in one session");
    }
  }

  private final long limit;
  private long count;

  BoundedInputStream(InputStream in, long limit) {
    super(in);
    this.limit = limit;
  }

  @Override
  public int read() throws IOException {
    check(1);
    int b = super.read();
    if (b >= 0) {
      count++;
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    check(1);
    int n = super.read(b, off, (int) Math.min(len, limit - count));
    if (n > 0) {
      count += n;
    }
    return n;
  }

  private void check(int wanted) throws SessionTooLarge {
    if (count + wanted > limit) {
      throw new SessionTooLarge(limit);
    }
  }
}
