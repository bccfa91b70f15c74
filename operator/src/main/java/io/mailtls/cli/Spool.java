package io.mailtls.cli;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The parts of a report that must be written in the order of their targets and after a summary that
 * only the end knows (the JSON and JUnit documents, the table's fixes), kept as they come in any
 * order: in memory up to {@link #IN_MEMORY} bytes, beyond that in a temporary file that is deleted
 * at once (it lives as long as the open file). What stays in memory is 20 bytes per part for its
 * place and order, never the parts.
 */
final class Spool implements Closeable {
  /** Bytes kept in memory before they go to the temporary file. */
  static final int IN_MEMORY = 1 << 20;

  /** Parts at most: the order of each is packed beside its key in one long. */
  private static final int MAX_PARTS = 1 << 24;

  private ByteArrayOutputStream memory = new ByteArrayOutputStream();
  private FileChannel file;
  private long inFile;
  private long[] keys = new long[256];
  private long[] offsets = new long[256];
  private int[] lengths = new int[256];
  private int parts;

  /** How many parts were added. */
  int size() {
    return parts;
  }

  /**
   * Adds a part; {@code key} orders it (0 to 2^39 - 1, each key once).
   *
   * @throws UncheckedIOException when the temporary file cannot be written
   */
  void add(long key, String text) {
    if (key < 0 || key >= 1L << 39 || parts == MAX_PARTS) {
      throw new IllegalStateException("spool part " + parts + " has key " + key);
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (parts == keys.length) {
      keys = Arrays.copyOf(keys, parts * 2);
      offsets = Arrays.copyOf(offsets, parts * 2);
      lengths = Arrays.copyOf(lengths, parts * 2);
    }
    keys[parts] = key;
    offsets[parts] = inFile + memory.size();
    lengths[parts] = bytes.length;
    parts++;
    memory.writeBytes(bytes);
    if (memory.size() > IN_MEMORY) {
      spill();
    }
  }

  /** Writes every part in the order of the keys, {@code separator} between two. */
  void writeTo(Writer out, String separator) throws IOException {
    if (file != null) {
      spill();
    }
    long[] order = new long[parts];
    for (int i = 0; i < parts; i++) {
      order[i] = keys[i] << 24 | i;
    }
    Arrays.sort(order);
    byte[] inMemory = file == null ? memory.toByteArray() : null;
    for (int i = 0; i < parts; i++) {
      int part = (int) (order[i] & (MAX_PARTS - 1));
      if (i > 0) {
        out.write(separator);
      }
      byte[] bytes;
      if (inMemory != null) {
        bytes =
            Arrays.copyOfRange(inMemory, (int) offsets[part], (int) offsets[part] + lengths[part]);
      } else {
        ByteBuffer buffer = ByteBuffer.allocate(lengths[part]);
        while (buffer.hasRemaining()) {
          if (file.read(buffer, offsets[part] + buffer.position()) < 0) {
            throw new IOException("the report's temporary file ended early");
          }
        }
        bytes = buffer.array();
      }
      out.write(new String(bytes, StandardCharsets.UTF_8));
    }
  }

  private void spill() {
    try {
      if (file == null) {
        Path path = Files.createTempFile("mailtls-scan-", ".spool");
        file =
            FileChannel.open(
                path,
                StandardOpenOption.READ,
                StandardOpenOption.WRITE,
                StandardOpenOption.DELETE_ON_CLOSE);
        try {
          Files.deleteIfExists(path); // gone from the directory; the open file stays
        } catch (IOException notOnThisSystem) {
          // deleted on close instead
        }
      }
      ByteBuffer bytes = ByteBuffer.wrap(memory.toByteArray());
      while (bytes.hasRemaining()) {
        inFile += file.write(bytes, inFile);
      }
      memory = new ByteArrayOutputStream();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot keep the report in a temporary file in "
              + System.getProperty("java.io.tmpdir")
              + ": "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public void close() throws IOException {
    memory = new ByteArrayOutputStream();
    if (file != null) {
      file.close();
      file = null;
    }
  }
}
