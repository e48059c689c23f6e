package io.jqueue.cli.bench;

import io.jqueue.Message;
import io.jqueue.Publisher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code rabbitmq-publish}: persistent messages to a durable classic queue with confirms, jqueue's
 * {@code publish}, {@code publishAll} and {@code publishAsync} against plain amqp-client (sync
 * confirms, or async with jqueue's confirm window) and Spring's RabbitTemplate (same window).
 */
final class RabbitPublish implements Scenario {
  static final int BATCH = 1000;

  @Override
  public String name() {
    return "rabbitmq-publish";
  }

  @Override
  public String description() {
    return "persistent, confirmed publishes: publish, publishAll, publishAsync; baselines:"
        + " amqp-client sync and windowed async confirms, Spring RabbitTemplate";
  }

  @Override
  public boolean needsRabbitMq() {
    return true;
  }

  @Override
  public void run(BenchContext ctx, List<Result> rows) throws Exception {
    BenchSettings s = ctx.settings();
    byte[] payload = s.payload();
    try (RabbitQueue rabbit = RabbitQueue.open(ctx, "publish");
        RawConfirms raw =
            new RawConfirms(rabbit.raw, rabbit.queue, rabbit.config.maxOutstandingConfirms());
        SpringConfirms spring =
            new SpringConfirms(
                s.brokerUri(), rabbit.queue, rabbit.config.maxOutstandingConfirms())) {
      Publisher publisher = rabbit.broker.publisher();
      String queue = rabbit.queue;
      int window = rabbit.config.maxOutstandingConfirms();
      List<Series> series =
          List.of(
              round(rabbit, d -> sync(publisher, queue, payload, d), "jqueue publish"),
              round(rabbit, d -> raw.publishSync(payload, deadline(d)), "amqp-client sync"),
              round(rabbit, d -> all(publisher, queue, payload, d), "jqueue publishAll"),
              round(
                  rabbit,
                  d -> raw.publishWindowed(payload, deadline(d), Long.MAX_VALUE),
                  "amqp-client async"),
              round(rabbit, d -> async(publisher, queue, payload, d, window), "jqueue async"),
              round(rabbit, d -> spring.publishWindowed(payload, deadline(d)), "RabbitTemplate"));
      List<Sample> m = Interleaved.run(ctx, name(), series);
      String rawSync = "amqp-client, waitForConfirmsOrDie per message";
      String rawAsync = "amqp-client, async confirms, window " + window;
      String template = "Spring RabbitTemplate, correlated confirms, window " + window;
      rows.add(row("publish (sync)", rawSync, m.get(0), m.get(1), s));
      rows.add(row("publishAll (" + BATCH + ")", rawAsync, m.get(2), m.get(3), s));
      rows.add(row("publishAsync (window " + window + ")", rawAsync, m.get(4), m.get(3), s));
      rows.add(row("publishAsync (window " + window + ")", template, m.get(4), m.get(5), s));
    }
  }

  private Result row(String variant, String baseline, Sample mine, Sample theirs, BenchSettings s) {
    return Result.compare(name(), variant, baseline, Metric.THROUGHPUT, mine, theirs, s.rounds());
  }

  /** A series whose rounds count confirmed publishes, then empty the queue (not timed). */
  private static Series round(RabbitQueue rabbit, Publishes publishes, String name) {
    return new Series(
        name,
        d -> {
          Sample sample = Timed.throughput(() -> publishes.run(d));
          rabbit.purge();
          return sample;
        });
  }

  @FunctionalInterface
  private interface Publishes {
    long run(Duration duration) throws Exception;
  }

  static long deadline(Duration d) {
    return System.nanoTime() + d.toNanos();
  }

  private static Message message(String queue, byte[] payload) {
    return Message.builder().topic(queue).payload(payload).build();
  }

  private static long sync(Publisher publisher, String queue, byte[] payload, Duration d) {
    long deadline = deadline(d);
    long n = 0;
    while (System.nanoTime() - deadline < 0) {
      publisher.publish(message(queue, payload));
      n++;
    }
    return n;
  }

  private static long all(Publisher publisher, String queue, byte[] payload, Duration d) {
    long deadline = deadline(d);
    long n = 0;
    while (System.nanoTime() - deadline < 0) {
      List<Message> batch = new ArrayList<>(BATCH);
      for (int i = 0; i < BATCH; i++) {
        batch.add(message(queue, payload));
      }
      publisher.publishAll(batch).throwIfAnyFailed();
      n += BATCH;
    }
    return n;
  }

  private static long async(
      Publisher publisher, String queue, byte[] payload, Duration d, int window)
      throws InterruptedException {
    Semaphore room = new Semaphore(window);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    long deadline = deadline(d);
    long n = 0;
    while (System.nanoTime() - deadline < 0) {
      room.acquire();
      publisher
          .publishAsync(message(queue, payload))
          .whenComplete(
              (receipt, error) -> {
                if (error != null) {
                  failure.compareAndSet(null, error);
                }
                room.release();
              });
      n++;
    }
    room.acquire(window);
    room.release(window);
    if (failure.get() != null) {
      throw new IllegalStateException("a publishAsync failed: " + failure.get(), failure.get());
    }
    return n;
  }
}
