package io.jqueue.internal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a close action once; every other caller waits until it has finished, so no {@code close}
 * returns while the thing it closes is still closing. Thread-safe.
 */
public final class CloseOnce {
  private final AtomicBoolean started = new AtomicBoolean();
  private final CountDownLatch finished = new CountDownLatch(1);

  /** Whether closing has begun. */
  public boolean isClosed() {
    return started.get();
  }

  /**
   * Runs {@code action} if no caller has yet, else waits until the caller that did has finished it
   * (an interrupt ends the wait early, with the interrupt flag kept).
   */
  public void close(Runnable action) {
    if (!started.compareAndSet(false, true)) {
      try {
        finished.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return;
    }
    try {
      action.run();
    } finally {
      finished.countDown();
    }
  }
}
