package io.mailtls.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * The one thread that runs every {@link DelayProxy} of the JVM: a selector for the sockets and a
 * queue of timed tasks (the delayed releases), both used from this thread only; other threads hand
 * it work with {@link #execute}.
 */
final class DelayLoop implements Runnable {
  private static DelayLoop shared;

  private final Selector selector;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final PriorityQueue<Timed> timers = new PriorityQueue<>();
  private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
  private long sequence;

  /** A task due at {@code dueNanos}; equal times run in the order they were scheduled. */
  private record Timed(long dueNanos, long sequence, Runnable task) implements Comparable<Timed> {
    @Override
    public int compareTo(Timed other) {
      int byTime = Long.compare(dueNanos - other.dueNanos, 0);
      return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
    }
  }

  private DelayLoop() throws IOException {
    this.selector = Selector.open();
  }

  static synchronized DelayLoop shared() {
    if (shared == null) {
      try {
        shared = new DelayLoop();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open a selector", e);
      }
      Thread thread = new Thread(shared, "delay-proxy-loop");
      thread.setDaemon(true);
      thread.start();
    }
    return shared;
  }

  /** Runs {@code task} on the loop's thread, soon. */
  void execute(Runnable task) {
    tasks.add(task);
    selector.wakeup();
  }

  /** Loop thread only: runs {@code task} {@code delayNanos} from now. */
  void schedule(long delayNanos, Runnable task) {
    timers.add(new Timed(System.nanoTime() + delayNanos, sequence++, task));
  }

  /** Loop thread only: registers {@code channel}; {@code ready} gets its selected key. */
  SelectionKey register(SelectableChannel channel, int ops, Consumer<SelectionKey> ready) {
    try {
      return channel.register(selector, ops, ready);
    } catch (ClosedChannelException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Loop thread only: the one buffer that reads go through, cleared, at most {@code size}. */
  ByteBuffer readBuffer(int size) {
    readBuffer.clear();
    readBuffer.limit(Math.min(size, readBuffer.capacity()));
    return readBuffer;
  }

  @Override
  @SuppressWarnings("unchecked")
  public void run() {
    while (true) {
      try {
        for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
          task.run();
        }
        long now = System.nanoTime();
        while (!timers.isEmpty() && timers.peek().dueNanos() - now <= 0) {
          timers.poll().task().run();
        }
        if (timers.isEmpty()) {
          selector.select();
        } else {
          long waitNanos = timers.peek().dueNanos() - System.nanoTime();
          if (waitNanos <= 0) {
            selector.selectNow();
          } else {
            // Rounded up: waking early would only go round again.
            selector.select(Math.max(1, (waitNanos + 999_999) / 1_000_000));
          }
        }
        for (SelectionKey key : selector.selectedKeys()) {
          if (key.isValid()) {
            ((Consumer<SelectionKey>) key.attachment()).accept(key);
          }
        }
        selector.selectedKeys().clear();
      } catch (IOException | RuntimeException e) {
        // One connection's failure must not stop every proxy.
        System.err.println("DelayProxy loop: " + e);
      }
    }
  }
}
