package io.jqueue.cli.bench;

import java.net.URI;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitOperations;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * The Spring AMQP baseline: {@link RabbitTemplate} with correlated publisher confirms, at most
 * {@code window} unconfirmed at once (each {@link CorrelationData}'s future frees its place).
 * Spring's messages are persistent by default. A round's sends run in one scoped operation ({@link
 * RabbitTemplate#invoke}), as Spring recommends for bursts: outside one, each send checks a channel
 * out of the cache, and a channel with confirms pending is not reused, so Spring keeps opening
 * channels (about 4 times slower here).
 */
final class SpringConfirms implements AutoCloseable {
  private final CachingConnectionFactory factory;
  private final RabbitTemplate template;
  private final String queue;
  private final int window;
  private final Semaphore room;
  private final AtomicLong refused = new AtomicLong();

  SpringConfirms(String uri, String queue, int window) {
    this.factory = new CachingConnectionFactory(URI.create(uri));
    factory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
    factory.setConnectionNameStrategy(f -> "jqueue-bench-spring");
    this.template = new RabbitTemplate(factory);
    this.queue = queue;
    this.window = window;
    this.room = new Semaphore(window);
  }

  /** Publishes until {@code deadline} keeping the window full; returns once all are confirmed. */
  long publishWindowed(byte[] payload, long deadline) throws Exception {
    long n = template.invoke(ops -> sendUntil(ops, payload, deadline));
    room.acquire(window);
    room.release(window);
    if (refused.getAndSet(0) > 0) {
      throw new IllegalStateException("RabbitMQ refused some RabbitTemplate publishes");
    }
    return n;
  }

  private long sendUntil(RabbitOperations ops, byte[] payload, long deadline) {
    long n = 0;
    while (System.nanoTime() - deadline < 0) {
      room.acquireUninterruptibly();
      CorrelationData correlation = new CorrelationData();
      correlation
          .getFuture()
          .whenComplete(
              (confirm, error) -> {
                if (error != null || !confirm.ack()) {
                  refused.incrementAndGet();
                }
                room.release();
              });
      ops.send("", queue, new Message(payload, new MessageProperties()), correlation);
      n++;
    }
    return n;
  }

  @Override
  public void close() {
    factory.destroy();
  }
}
