package io.jqueue.embedded;

import java.util.function.Consumer;

/**
 * The queue's record of one push consumer: how many messages it may hold, how many it holds, and
 * where the queue hands the leases it gives it. The queue changes {@link #held} under its lock and
 * calls {@link #sink} after releasing it; the consumer itself only tells the queue when it is done
 * with a message ({@link EmbeddedQueue#consumerDone}), so calls go one way.
 */
final class QueueConsumer {
  final int prefetch;
  final Consumer<Lease> sink;

  /** Leases given to this consumer and not yet done; guarded by the queue lock. */
  int held;

  QueueConsumer(int prefetch, Consumer<Lease> sink) {
    this.prefetch = prefetch;
    this.sink = sink;
  }

  /** Set when the queue stops giving it messages; guarded by the queue lock. */
  boolean removed;

  /** Whether it may take one more message; under the queue lock. */
  boolean hasCapacity() {
    return held < prefetch && !removed;
  }
}
