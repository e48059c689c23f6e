package io.jqueue.cli;

import io.jqueue.Broker;
import io.jqueue.ConsumerOptions;
import io.jqueue.Message;
import io.jqueue.QueueSpec;
import io.jqueue.RemoteHandlerException;
import io.jqueue.RequestTimeoutException;
import io.jqueue.Requester;
import io.jqueue.RequesterOptions;
import io.jqueue.RequesterStats;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jqueue demo request-reply}: a price service answers concurrent requests. It is slow for
 * one item, whose request times out and whose late answer is dropped, and it has no price for
 * another, whose request fails with the service's error. Exit 0 when every answered request got its
 * own answer and the timeout was reported.
 */
@Command(
    name = "request-reply",
    mixinStandardHelpOptions = true,
    description =
        "Request-reply: a price service answers concurrent requests; it is slow for one item (that"
            + " request times out, its late answer is dropped) and knows no price for another (the"
            + " service's error comes back). Exit 1 if an answer reaches the wrong request.")
final class RequestReplyDemoCommand implements Callable<Integer> {
  private static final Map<String, String> PRICES = new LinkedHashMap<>();

  static {
    PRICES.put("apple", "1.20");
    PRICES.put("banana", "0.35");
    PRICES.put("cherry", "4.80");
    PRICES.put("durian", "12.50");
    PRICES.put("elderberry", "6.10");
    PRICES.put("fig", "2.75");
    PRICES.put("grape", "3.40");
    PRICES.put("kiwi", "0.60");
  }

  /** The service holds this item's request until the requester has given up on it. */
  private static final String SLOW = "durian";

  /** The service has no price for this one and throws. */
  private static final String UNKNOWN = "mango";

  private static final Duration SLOW_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @Spec CommandSpec spec;

  @Mixin BrokerChoice brokerChoice;

  @Option(
      names = "--workers",
      defaultValue = "4",
      description = "Requests the service handles at once, 2-32 (${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--verbose", description = "Also print jqueue's own log lines.")
  boolean verbose;

  @Override
  public Integer call() throws InterruptedException {
    String problem = brokerChoice.problem();
    if (workers < 2 || workers > 32) { // one worker stays with the slow item
      problem = "--workers must be 2-32, got " + workers;
    }
    if (problem != null) {
      spec.commandLine().getErr().println(problem);
      return 2;
    }
    PrintWriter out = spec.commandLine().getOut();
    return brokerChoice.runOnFreshQueue(
        "demo-request-reply", "prices", (broker, queue) -> run(broker, queue, out));
  }

  private boolean run(Broker broker, String queue, PrintWriter out) throws InterruptedException {
    broker.declareQueue(QueueSpec.builder(queue).build());
    CountDownLatch slowDone = new CountDownLatch(1); // the service finishes the slow item
    broker.respond(
        queue,
        ConsumerOptions.builder().id("price-service").concurrency(workers).build(),
        d -> {
          String item = d.text();
          if (item.equals(SLOW)) {
            slowDone.await(30, TimeUnit.SECONDS);
          }
          String price = PRICES.get(item);
          if (price == null) {
            throw new IllegalArgumentException("no price for '" + item + "'");
          }
          return Message.builder().text(item + "=" + price).build();
        });
    out.printf(
        "price service on queue '%s' (%s): %d workers, slow for '%s'%n",
        queue, brokerChoice.describe(), workers, SLOW);
    try (Requester requester =
        broker.requester(RequesterOptions.builder().id("price-client").build())) {
      Map<String, CompletableFuture<Message>> asked = new LinkedHashMap<>();
      for (String item : PRICES.keySet()) {
        Duration timeout = item.equals(SLOW) ? SLOW_TIMEOUT : TIMEOUT;
        asked.put(
            item, requester.request(Message.builder().topic(queue).text(item).build(), timeout));
      }
      asked.put(
          UNKNOWN,
          requester.request(Message.builder().topic(queue).text(UNKNOWN).build(), TIMEOUT));
      out.printf(
          "asked for %d prices at once (timeout %d s, %d s for '%s')%n%n",
          asked.size(), TIMEOUT.toSeconds(), SLOW_TIMEOUT.toSeconds(), SLOW);

      boolean allOwn = true;
      boolean timeoutReported = false;
      for (Map.Entry<String, CompletableFuture<Message>> e : asked.entrySet()) {
        String item = e.getKey();
        Outcome o = outcome(item, e.getValue());
        out.printf("  %-11s %s%n", item, o.text);
        allOwn &= o.asExpected;
        timeoutReported |= item.equals(SLOW) && o.asExpected;
      }
      slowDone.countDown(); // the service answers the slow item now: too late
      waitUntil(() -> requester.stats().lateReplies() >= 1, Duration.ofSeconds(20));
      RequesterStats s = requester.stats();
      out.printf(
          "%nrequester stats: pending %d, completed %d, timed out %d, late replies dropped %d,"
              + " remote errors %d%n",
          s.pending(), s.completed(), s.timedOut(), s.lateReplies(), s.remoteErrors());
      boolean ok = allOwn && timeoutReported && s.pending() == 0;
      out.println(
          ok
              ? "every answered request got its own answer; the timeout was reported"
              : "NOT as expected: an answer went astray, or the timeout was not reported");
      out.flush();
      return ok;
    } finally {
      slowDone.countDown();
    }
  }

  /** What happened to one request, and whether that is what its item should get. */
  private record Outcome(String text, boolean asExpected) {}

  private static Outcome outcome(String item, CompletableFuture<Message> reply)
      throws InterruptedException {
    try {
      String answer = reply.get(TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS).text();
      String expected = item + "=" + PRICES.get(item);
      return answer.equals(expected)
          ? new Outcome(PRICES.get(item), true)
          : new Outcome("WRONG ANSWER '" + answer + "'", false);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RequestTimeoutException) {
        return new Outcome(
            "timed out after " + SLOW_TIMEOUT.toSeconds() + " s (RequestTimeoutException)",
            item.equals(SLOW));
      }
      if (cause instanceof RemoteHandlerException r) {
        String name = r.remoteErrorClass().substring(r.remoteErrorClass().lastIndexOf('.') + 1);
        return new Outcome(
            "service error " + name + ": " + r.remoteMessage() + " (RemoteHandlerException)",
            item.equals(UNKNOWN));
      }
      return new Outcome("failed: " + cause, false);
    } catch (TimeoutException e) {
      return new Outcome("no outcome at all", false);
    }
  }

  private static void waitUntil(BooleanSupplier done, Duration limit) throws InterruptedException {
    Instant deadline = Instant.now().plus(limit);
    while (!done.getAsBoolean() && Instant.now().isBefore(deadline)) {
      Thread.sleep(20);
    }
  }
}
