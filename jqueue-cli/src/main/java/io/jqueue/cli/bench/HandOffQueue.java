package io.jqueue.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The embedded scenarios' baseline: an {@link ArrayBlockingQueue} of payloads between threads, plus
 * a {@link ConcurrentHashMap} put on send and remove on handle standing for a broker's in-flight
 * bookkeeping. About the least a hand-off between threads can cost.
 */
final class HandOffQueue implements AutoCloseable {
  private final BlockingQueue<byte[]> queue;
  private final ConcurrentMap<byte[], Boolean> inFlight = new ConcurrentHashMap<>();
  private final LongAdder handled = new LongAdder();
  private final List<Thread> consumers = new ArrayList<>();

  /**
   * Starts {@code consumers} threads that each take, forget and pass the payload to {@code
   * onHandle}.
   */
  HandOffQueue(int capacity, int consumers, Consumer<byte[]> onHandle) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    for (int i = 0; i < consumers; i++) {
      Thread t = new Thread(() -> consume(onHandle), "baseline-consumer-" + i);
      t.setDaemon(true);
      this.consumers.add(t);
      t.start();
    }
  }

  /** Sends {@code message} (a fresh array: it is the in-flight key), waiting while full. */
  void send(byte[] message) throws InterruptedException {
    inFlight.put(message, Boolean.TRUE);
    queue.put(message);
  }

  long handled() {
    return handled.sum();
  }

  private void consume(Consumer<byte[]> onHandle) {
    try {
      while (true) {
        byte[] message = queue.take();
        inFlight.remove(message);
        onHandle.accept(message);
        handled.increment();
      }
    } catch (InterruptedException e) {
      // closed
    }
  }

  @Override
  public void close() throws InterruptedException {
    for (Thread t : consumers) {
      t.interrupt();
      t.join();
    }
  }
}
