package io.jqueue.cli.bench;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.jqueue.ConsumeMiddleware;
import io.jqueue.ConsumerOptions;
import io.jqueue.Message;
import io.jqueue.Publisher;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * {@code rabbitmq-roundtrip}: one message in flight at a time: publish (confirmed), consume, ack,
 * then the next; latency from the publish call to the handler. The baseline is plain amqp-client
 * doing the same on a plain durable queue of its own (confirm per publish, manual ack, prefetch 1).
 */
final class RabbitRoundtrip implements Scenario {
  private static final AMQP.BasicProperties PERSISTENT =
      new AMQP.BasicProperties.Builder().deliveryMode(2).build();

  /** Sends one payload (and waits for its confirm). */
  @FunctionalInterface
  private interface Send {
    void send(byte[] payload) throws Exception;
  }

  @Override
  public String name() {
    return "rabbitmq-roundtrip";
  }

  @Override
  public String description() {
    return "publish -> consume -> ack, one message in flight; baseline: amqp-client doing the same";
  }

  @Override
  public boolean needsRabbitMq() {
    return true;
  }

  @Override
  public void run(BenchContext ctx, List<Result> rows) throws Exception {
    byte[] payload = ctx.settings().payload();
    Histogram mine = new Histogram(3);
    Histogram theirs = new Histogram(3);
    Semaphore jqueueDone = new Semaphore(0);
    Semaphore rawDone = new Semaphore(0);
    try (RabbitQueue rabbit = RabbitQueue.open(ctx, "roundtrip");
        Channel publishing = rabbit.raw.createChannel();
        Channel consuming = rabbit.raw.createChannel()) {
      // code after proceed runs once jqueue has acked: the next message waits for the ack
      ConsumeMiddleware afterAck =
          ConsumeMiddleware.named(
              "bench-after-ack",
              (d, chain) -> {
                chain.proceed(d);
                jqueueDone.release();
              });
      rabbit.broker.subscribe(
          rabbit.queue,
          ConsumerOptions.builder().id("bench").middlewares(afterAck).build(),
          d -> record(mine, d.message().payloadView()));
      Publisher publisher = rabbit.broker.publisher();
      Send jqueue =
          p -> publisher.publish(Message.builder().topic(rabbit.queue).payload(p).build());

      String rawQueue = Embedded.uniqueName("roundtrip-baseline");
      publishing.queueDeclare(rawQueue, true, false, false, null);
      try (Cleanup.Step delete = ctx.cleanup().add(() -> delete(publishing, rawQueue))) {
        publishing.confirmSelect();
        consuming.basicQos(1);
        consuming.basicConsume(
            rawQueue,
            false,
            new DefaultConsumer(consuming) {
              @Override
              public void handleDelivery(
                  String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
                  throws java.io.IOException {
                record(theirs, ByteBuffer.wrap(body));
                consuming.basicAck(envelope.getDeliveryTag(), false);
                rawDone.release();
              }
            });
        Send raw =
            p -> {
              publishing.basicPublish("", rawQueue, true, PERSISTENT, p);
              publishing.waitForConfirmsOrDie(10_000);
            };
        List<Sample> m =
            Interleaved.run(
                ctx,
                name(),
                List.of(
                    new Series("jqueue", d -> pingPong(mine, d, payload, jqueue, jqueueDone)),
                    new Series("amqp-client", d -> pingPong(theirs, d, payload, raw, rawDone))));
        rows.add(
            Result.compare(
                name(),
                "1 in flight",
                "amqp-client: confirm per publish, manual ack, prefetch 1",
                Metric.THROUGHPUT,
                m.get(0),
                m.get(1),
                ctx.settings().rounds()));
      }
    }
  }

  /** Sends one message at a time until {@code duration} is up, each after the last was handled. */
  private static Sample pingPong(
      Histogram latencies, Duration duration, byte[] payload, Send send, Semaphore handled)
      throws Exception {
    latencies.reset();
    long cpu0 = Cpu.processNanos();
    long t0 = System.nanoTime();
    long deadline = t0 + duration.toNanos();
    long n = 0;
    while (System.nanoTime() - deadline < 0) {
      byte[] message = payload.clone();
      ByteBuffer.wrap(message).putLong(0, System.nanoTime());
      send.send(message);
      if (!handled.tryAcquire(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("a message was not handled within 30 s");
      }
      n++;
    }
    long elapsed = System.nanoTime() - t0;
    double cpu = (Cpu.processNanos() - cpu0) / 1e3 / Math.max(1, n);
    return Sample.latency(Math.max(1, n), elapsed, cpu, latencies.copy());
  }

  private static void record(Histogram histogram, ByteBuffer payload) {
    histogram.recordValue(Math.max(0, System.nanoTime() - payload.getLong(0)));
  }

  private static void delete(Channel channel, String queue) {
    try {
      channel.queueDelete(queue);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
