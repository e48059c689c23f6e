package io.jqueue.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/** Producer threads that each call {@code send} in a loop until stopped, counting the sends. */
final class Producers {
  /** One send; may block while the receiving side is full. */
  @FunctionalInterface
  interface Send {
    void send() throws Exception;
  }

  private final int count;
  private final String name;
  private final Send send;
  private final LongAdder sent = new LongAdder();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running;

  Producers(int count, String name, Send send) {
    this.count = count;
    this.name = name;
    this.send = send;
  }

  long sent() {
    return sent.sum();
  }

  void start() {
    running = true;
    for (int i = 0; i < count; i++) {
      Thread t = new Thread(this::loop, name + "-producer-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  /** Stops every producer and waits for it; rethrows the first send that failed. */
  void stop() throws InterruptedException {
    running = false;
    for (Thread t : threads) {
      t.join();
    }
    threads.clear();
    Throwable error = failure.getAndSet(null);
    if (error != null) {
      throw new IllegalStateException(name + ": a send failed: " + error, error);
    }
  }

  private void loop() {
    try {
      while (running) {
        send.send();
        sent.increment();
      }
    } catch (Throwable e) {
      failure.compareAndSet(null, e);
    }
  }
}
