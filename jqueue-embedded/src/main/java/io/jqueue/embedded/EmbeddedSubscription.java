package io.jqueue.embedded;

import io.jqueue.ConsumerOptions;
import io.jqueue.MessageHandler;
import io.jqueue.spi.AbstractSubscription;
import io.jqueue.spi.InternalDelivery;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A push subscription of an embedded queue. The queue leases it up to {@code prefetch} messages;
 * {@link AbstractSubscription} runs up to {@code concurrency} of them at once and buffers the rest.
 */
final class EmbeddedSubscription extends AbstractSubscription<Lease> {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSubscription.class);

  private final EmbeddedQueue queue;
  private final QueueConsumer slot;

  EmbeddedSubscription(
      EmbeddedQueue queue, ConsumerOptions options, MessageHandler handler, Runnable onClosed) {
    super(queue.name(), options, handler, onClosed);
    this.queue = queue;
    this.slot = new QueueConsumer(options.prefetch(), this::offer);
  }

  @Override
  protected void start() {
    queue.addConsumer(slot);
  }

  @Override
  protected InternalDelivery begin(Lease lease) {
    if (!queue.begin(lease, Thread.currentThread())) {
      return null; // its lease ended while it waited
    }
    return new EmbeddedDelivery(queue, lease, options().codec(), id());
  }

  @Override
  protected void skipped(Lease lease) {
    queue.consumerDone(lease);
  }

  @Override
  protected void handled(Lease lease) {
    lease.unbindRunner();
    queue.consumerDone(lease);
  }

  @Override
  protected void giveBack(Lease lease) {
    queue.outcomes.release(lease);
    queue.consumerDone(lease);
  }

  @Override
  protected void stopTaking() {
    queue.removeConsumer(slot);
  }

  @Override
  protected void releaseUnfinished(List<Lease> unfinished) {
    for (Lease lease : unfinished) {
      if (queue.outcomes.release(lease)) {
        LOG.warn(
            "consumer '{}' closed before message {} of '{}' was handled; returned it to the queue",
            id(),
            lease.envelope.message.id(),
            queue());
      }
      lease.interruptRunner();
    }
  }
}
