package io.jqueue.cli.bench;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.jqueue.ConsumerOptions;
import io.jqueue.Subscription;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code rabbitmq-drain}: a queue preloaded with {@value #MESSAGES} messages (plain amqp-client,
 * async confirms, not timed), drained by jqueue with default consumer options and with prefetch
 * 250, against a plain {@code basicConsume} with prefetch 250 and manual acks.
 */
final class RabbitDrain implements Scenario {
  static final int MESSAGES = 20_000;
  static final int PREFETCH = 250;

  @Override
  public String name() {
    return "rabbitmq-drain";
  }

  @Override
  public String description() {
    return MESSAGES
        + " preloaded messages drained by jqueue (default options; prefetch 250); baseline:"
        + " amqp-client basicConsume, prefetch 250, manual ack";
  }

  @Override
  public boolean needsRabbitMq() {
    return true;
  }

  @Override
  public void run(BenchContext ctx, List<Result> rows) throws Exception {
    byte[] payload = ctx.settings().payload();
    try (RabbitQueue rabbit = RabbitQueue.open(ctx, "drain");
        RawConfirms loader =
            new RawConfirms(rabbit.raw, rabbit.queue, rabbit.config.maxOutstandingConfirms())) {
      ConsumerOptions prefetch = ConsumerOptions.builder().id("bench").prefetch(PREFETCH).build();
      List<Series> series =
          List.of(
              new Series(
                  "jqueue defaults",
                  d -> jqueue(rabbit, loader, payload, ConsumerOptions.defaults())),
              new Series("jqueue prefetch", d -> jqueue(rabbit, loader, payload, prefetch)),
              new Series("amqp-client", d -> raw(rabbit, loader, payload)));
      List<Sample> m = Interleaved.run(ctx, name(), series);
      String baseline = "amqp-client basicConsume, prefetch " + PREFETCH + ", manual ack";
      int rounds = ctx.settings().rounds();
      rows.add(
          Result.compare(
              name(), "default options", baseline, Metric.THROUGHPUT, m.get(0), m.get(2), rounds));
      rows.add(
          Result.compare(
              name(),
              "prefetch " + PREFETCH,
              baseline,
              Metric.THROUGHPUT,
              m.get(1),
              m.get(2),
              rounds));
    }
  }

  private static void preload(RawConfirms loader, byte[] payload) throws Exception {
    loader.publishWindowed(payload, System.nanoTime() + TimeUnit.HOURS.toNanos(1), MESSAGES);
  }

  private static Sample jqueue(
      RabbitQueue rabbit, RawConfirms loader, byte[] payload, ConsumerOptions options)
      throws Exception {
    preload(loader, payload);
    LongAdder handled = new LongAdder();
    return Timed.throughput(
        () -> {
          Subscription s = rabbit.broker.subscribe(rabbit.queue, options, d -> handled.increment());
          try {
            awaitHandled(handled);
          } finally {
            s.close();
          }
          return MESSAGES;
        });
  }

  private static Sample raw(RabbitQueue rabbit, RawConfirms loader, byte[] payload)
      throws Exception {
    preload(loader, payload);
    LongAdder handled = new LongAdder();
    try (Channel ch = rabbit.raw.createChannel()) {
      ch.basicQos(PREFETCH);
      return Timed.throughput(
          () -> {
            String tag =
                ch.basicConsume(
                    rabbit.queue,
                    false,
                    new DefaultConsumer(ch) {
                      @Override
                      public void handleDelivery(
                          String consumerTag,
                          Envelope envelope,
                          AMQP.BasicProperties properties,
                          byte[] body)
                          throws java.io.IOException {
                        ch.basicAck(envelope.getDeliveryTag(), false);
                        handled.increment();
                      }
                    });
            try {
              awaitHandled(handled);
            } finally {
              ch.basicCancel(tag);
            }
            return MESSAGES;
          });
    }
  }

  private static void awaitHandled(LongAdder handled) {
    Load.awaitCount(handled::sum, MESSAGES);
  }
}
