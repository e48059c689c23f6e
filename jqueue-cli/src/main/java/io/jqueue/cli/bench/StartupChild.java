package io.jqueue.cli.bench;

import io.jqueue.Message;
import io.jqueue.QueueSpec;
import io.jqueue.embedded.EmbeddedBroker;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * The child JVM of the {@code startup} scenario: prints the nanoseconds from entering {@code main}
 * to its first message handled, on jqueue's embedded broker ({@code jqueue}) or with a thread and
 * an {@link ArrayBlockingQueue} ({@code baseline}); the second argument says whether the logging
 * backend starts before {@code main} reads the clock ({@code up}) or at the first log ({@code
 * cold}).
 */
public final class StartupChild {
  private StartupChild() {}

  /** Runs one side, prints its figure on stdout, exits 0 (1 when the message never came). */
  public static void main(String[] args) throws Exception {
    if (args.length < 2 || args[1].equals("up")) {
      LoggerFactory.getLogger(StartupChild.class); // the application's logging is up
    }
    long start = System.nanoTime();
    CountDownLatch handled = new CountDownLatch(1);
    long[] at = new long[1];
    Runnable done =
        () -> {
          at[0] = System.nanoTime();
          handled.countDown();
        };
    if (args.length >= 1 && args[0].equals("jqueue")) {
      try (EmbeddedBroker broker = EmbeddedBroker.create()) {
        broker.declareQueue(QueueSpec.builder("startup").build());
        broker.subscribe("startup", d -> done.run());
        broker.publisher().publish(Message.builder().topic("startup").text("hello").build());
        report(handled, at, start);
      }
    } else {
      BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(16);
      Thread consumer =
          new Thread(
              () -> {
                try {
                  queue.take();
                  done.run();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      consumer.setDaemon(true);
      consumer.start();
      queue.put("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      report(handled, at, start);
    }
  }

  private static void report(CountDownLatch handled, long[] at, long start)
      throws InterruptedException {
    if (!handled.await(30, TimeUnit.SECONDS)) {
      System.exit(1);
    }
    System.out.println(at[0] - start);
    System.out.flush();
  }
}
