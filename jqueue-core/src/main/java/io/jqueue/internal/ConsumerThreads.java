package io.jqueue.internal;

import io.jqueue.ConsumerOptions;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** The handler threads a consumer creates when the user supplied no executor. */
public final class ConsumerThreads {
  private ConsumerThreads() {}

  /** {@code concurrency} daemon threads named after the queue and consumer, or null if supplied. */
  public static ExecutorService ownExecutor(ConsumerOptions options, String queue) {
    return options.executor().isPresent()
        ? null
        : Executors.newFixedThreadPool(
            options.concurrency(), new NamedThreadFactory("jqueue-" + queue + "-" + options.id()));
  }

  /** Stops a consumer's own threads (interrupting handlers still running); null is ignored. */
  public static void stop(ExecutorService own) {
    if (own == null) {
      return;
    }
    own.shutdownNow();
    try {
      own.awaitTermination(100, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
