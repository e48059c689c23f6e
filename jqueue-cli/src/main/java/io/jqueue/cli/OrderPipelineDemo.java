package io.jqueue.cli;

import io.jqueue.Backoff;
import io.jqueue.Broker;
import io.jqueue.ConsumerOptions;
import io.jqueue.DeadLetter;
import io.jqueue.Delivery;
import io.jqueue.Message;
import io.jqueue.MessageHandler;
import io.jqueue.Publisher;
import io.jqueue.QueueSpec;
import io.jqueue.QueueStats;
import io.jqueue.SubscriberStats;
import io.jqueue.Subscription;
import io.jqueue.internal.Saturating;
import io.jqueue.internal.StatsTable;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The seed's order-processing pipeline (SPEC §6): orders → payments → fulfillment → notifications,
 * with the seed's queue sizes, retries, visibility timeouts and TTLs. Payments fail at random (a
 * gateway timeout, retried with backoff) and some cards are declined (a permanent failure,
 * dead-lettered at once). At the end every order must be either notified or in a dead-letter queue,
 * and the run says so.
 *
 * <p>Failures are drawn from the seed, the order and the attempt, so a run is repeatable whatever
 * the thread timing.
 */
final class OrderPipelineDemo {
  /** The seed's queue names, before the settings' prefix. */
  static final List<String> STAGES = List.of("orders", "payments", "fulfillment", "notifications");

  private static final String ORDER_ID = "order-id";

  /** How the demo runs. */
  record Settings(
      String queuePrefix,
      int orders,
      double failureRate,
      int declineEvery,
      long seed,
      boolean quiet,
      Duration publishInterval,
      Duration timeout) {}

  /** An order as it travels through the pipeline. */
  record Order(String id, int amountCents, String card) {}

  /** What happened to every order. */
  record Outcome(
      Set<String> published,
      Set<String> notified,
      Map<String, String> deadLettered,
      Set<String> missing,
      int duplicates,
      boolean finished) {

    boolean nothingLost() {
      return finished && missing.isEmpty();
    }
  }

  private final Broker broker;
  private final Settings settings;
  private final String ordersQueue;
  private final String paymentsQueue;
  private final String fulfillmentQueue;
  private final String notificationsQueue;
  private final List<String> queues;
  private final PrintWriter out;
  private final Instant start = Instant.now();
  private final Set<String> notified = ConcurrentHashMap.newKeySet();
  private final AtomicInteger duplicates = new AtomicInteger();

  OrderPipelineDemo(Broker broker, Settings settings, PrintWriter out) {
    this.broker = broker;
    this.settings = settings;
    this.out = out;
    this.queues = STAGES.stream().map(stage -> settings.queuePrefix() + stage).toList();
    this.ordersQueue = queues.get(0);
    this.paymentsQueue = queues.get(1);
    this.fulfillmentQueue = queues.get(2);
    this.notificationsQueue = queues.get(3);
  }

  /** Declares the queues, runs the pipeline to the end (or the timeout) and reports. */
  Outcome run() throws InterruptedException {
    declareQueues();
    Publisher publisher = broker.publisher();
    List<Subscription> subscriptions = subscribe(publisher);
    Set<String> published = publishOrders(publisher);
    boolean finished = awaitSettled(published);
    Outcome outcome = report(published, finished);
    subscriptions.forEach(s -> s.close(Duration.ofSeconds(5)));
    return outcome;
  }

  void declareQueues() {
    Backoff backoff = Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(2));
    declare(QueueSpec.builder(ordersQueue).maxSize(100).maxRetries(3), 30, 5, backoff);
    declare(QueueSpec.builder(paymentsQueue).maxSize(50).maxRetries(5), 60, 10, backoff);
    declare(QueueSpec.builder(fulfillmentQueue).maxSize(100).maxRetries(3), 30, 5, backoff);
    declare(QueueSpec.builder(notificationsQueue).maxSize(200).maxRetries(2), 10, 1, backoff);
  }

  private void declare(QueueSpec.Builder b, int visibilitySeconds, int ttlMinutes, Backoff bo) {
    QueueSpec spec =
        b.visibilityTimeout(Duration.ofSeconds(visibilitySeconds))
            .messageTtl(Duration.ofMinutes(ttlMinutes))
            .backoff(bo.withJitter())
            .build();
    broker.declareQueue(spec);
    out.printf(
        "declared %-25s size %3d, %d attempts, visibility %2ds, ttl %2dm, dlq %s%n",
        spec.name(),
        spec.maxSize(),
        spec.maxRetries(),
        visibilitySeconds,
        ttlMinutes,
        spec.deadLetterQueue());
  }

  List<Subscription> subscribe(Publisher publisher) {
    List<Subscription> subs = new ArrayList<>();
    subs.add(consume(ordersQueue, "order-processor", 3, d -> handleOrder(d, publisher)));
    subs.add(consume(paymentsQueue, "payment-processor", 2, d -> handlePayment(d, publisher)));
    subs.add(
        consume(fulfillmentQueue, "fulfillment-processor", 3, d -> handleShipping(d, publisher)));
    subs.add(consume(notificationsQueue, "notification-sender", 5, this::handleNotification));
    out.flush();
    return subs;
  }

  private Subscription consume(String queue, String id, int concurrency, MessageHandler handler) {
    return broker.subscribe(
        queue, ConsumerOptions.builder().id(id).concurrency(concurrency).build(), handler);
  }

  private void handleOrder(Delivery d, Publisher publisher) throws InterruptedException {
    Order order = d.data(Order.class);
    event("order       %s received, %s", order.id(), money(order.amountCents()));
    Thread.sleep(100);
    publisher.publish(forward(d, paymentsQueue, "payment").data(order).build());
  }

  private void handlePayment(Delivery d, Publisher publisher) throws InterruptedException {
    Order order = d.data(Order.class);
    Thread.sleep(200);
    if (isDeclined(order)) {
      event("payment     %s card %s declined -> dead-letter", order.id(), order.card());
      d.deadLetter("card " + order.card() + " declined");
      return;
    }
    if (gatewayTimesOut(order, d.attempt())) {
      event(
          "payment     %s gateway timeout (attempt %d/%d)",
          order.id(), d.attempt(), d.maxAttempts());
      throw new PaymentGatewayTimeout("payment gateway timeout");
    }
    event(
        "payment     %s charged %s (attempt %d)",
        order.id(), money(order.amountCents()), d.attempt());
    publisher.publish(forward(d, fulfillmentQueue, "fulfillment").data(order).build());
  }

  private void handleShipping(Delivery d, Publisher publisher) throws InterruptedException {
    Order order = d.data(Order.class);
    Thread.sleep(150);
    event("fulfillment %s packed and shipped", order.id());
    publisher.publish(
        forward(d, notificationsQueue, "notification")
            .text("Order " + order.id() + " shipped!")
            .header("type", "email")
            .build());
  }

  private void handleNotification(Delivery d) throws InterruptedException {
    Thread.sleep(50);
    String orderId = d.message().header(ORDER_ID).orElseThrow();
    if (!notified.add(orderId)) {
      duplicates.incrementAndGet();
    }
    event("notify      %s: \"%s\"", orderId, d.text());
  }

  private static Message.Builder forward(Delivery d, String queue, String stage) {
    return Message.builder()
        .topic(queue)
        .header(ORDER_ID, d.message().header(ORDER_ID).orElseThrow())
        .header("stage", stage);
  }

  private Set<String> publishOrders(Publisher publisher) throws InterruptedException {
    out.printf("%npublishing %d orders...%n", settings.orders());
    Set<String> published = new LinkedHashSet<>();
    for (int i = 1; i <= settings.orders(); i++) {
      published.add(publishOrder(publisher, i));
      Thread.sleep(Saturating.toMillis(settings.publishInterval()));
    }
    return published;
  }

  /** Publishes order number {@code i} to the orders queue; returns its id. */
  String publishOrder(Publisher publisher, long i) {
    Order order = new Order("ORDER-" + i, (int) (1_000 + (i * 7_919) % 90_000), card(i));
    publisher.publish(
        Message.builder().topic(ordersQueue).header(ORDER_ID, order.id()).data(order).build());
    return order.id();
  }

  /** Forgets the orders notified so far: a pipeline that runs for hours keeps no history. */
  void forgetNotified() {
    notified.clear();
  }

  private String card(long i) {
    boolean declined = settings.declineEvery() > 0 && i % settings.declineEvery() == 0;
    return declined ? "4000-0000-0000-0002" : "4242-4242-4242-4242";
  }

  private static boolean isDeclined(Order order) {
    return order.card().equals("4000-0000-0000-0002");
  }

  /** A draw that depends only on the seed, the order and the attempt, not on timing. */
  private boolean gatewayTimesOut(Order order, int attempt) {
    long orderNumber = Long.parseLong(order.id().substring("ORDER-".length()));
    long h = mix(settings.seed() ^ mix(orderNumber ^ mix(attempt)));
    return (h >>> 11) * 0x1.0p-53 < settings.failureRate();
  }

  /** A 64-bit finalizer (splitmix64): nearby inputs give unrelated outputs. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** Waits until every order is notified or dead-lettered and every queue is empty. */
  private boolean awaitSettled(Set<String> published) throws InterruptedException {
    Instant deadline = Saturating.plus(start, settings.timeout());
    Instant nextProgress = Instant.now();
    while (Instant.now().isBefore(deadline)) {
      int dead = deadLettered().size();
      boolean idle = queues.stream().allMatch(q -> broker.stats(q).size() == 0);
      if (idle && notified.size() + dead >= published.size()) {
        return true;
      }
      if (!Instant.now().isBefore(nextProgress)) {
        progress(published.size(), dead);
        nextProgress = Instant.now().plusSeconds(1);
      }
      Thread.sleep(50);
    }
    return false;
  }

  private void progress(int published, int dead) {
    StringBuilder line = new StringBuilder(String.format("[%5s] ", elapsed()));
    for (String q : queues) {
      QueueStats s = broker.stats(q);
      line.append(String.format("%s %d/%d/%d  ", q, s.ready(), s.inFlight(), s.delayed()));
    }
    line.append(
        String.format("| notified %d, dead-lettered %d of %d", notified.size(), dead, published));
    synchronized (out) {
      out.println(line + "   (ready/in-flight/retrying)");
      out.flush();
    }
  }

  /** Order id → "queue.dlq: reason" for every dead letter of the four queues. */
  private Map<String, String> deadLettered() {
    Map<String, String> dead = new LinkedHashMap<>();
    for (String q : queues) {
      for (DeadLetter d : broker.deadLetters(q).peek(10_000)) {
        dead.put(d.message().header(ORDER_ID).orElse(d.message().id()), q + ".dlq");
      }
    }
    return dead;
  }

  private Outcome report(Set<String> published, boolean finished) {
    Map<String, String> dead = deadLettered();
    Set<String> missing = new LinkedHashSet<>(published);
    missing.removeAll(notified);
    missing.removeAll(dead.keySet());
    out.printf("%nfinished in %s%n%n", elapsed());
    List<QueueStats> stats = queues.stream().map(broker::stats).toList();
    out.print(StatsTable.format(stats));
    out.println();
    for (QueueStats s : stats) {
      for (SubscriberStats sub : s.subscribers()) {
        out.printf("  %-22s processed %3d, errors %3d%n", sub.id(), sub.processed(), sub.errors());
      }
    }
    out.println();
    printDeadLetters();
    Set<String> both = new LinkedHashSet<>(notified);
    both.retainAll(dead.keySet());
    out.printf(
        "%naccounting: %d orders published = %d notified + %d dead-lettered%n",
        published.size(), notified.size(), dead.size());
    if (duplicates.get() > 0 || !both.isEmpty()) {
      out.printf(
          "  %d duplicate notification(s), %d order(s) both notified and dead-lettered%n",
          duplicates.get(), both.size());
    }
    Outcome outcome =
        new Outcome(published, Set.copyOf(notified), dead, missing, duplicates.get(), finished);
    if (outcome.nothingLost()) {
      out.println("every order is accounted for: nothing was lost");
    } else if (!finished) {
      out.printf(
          "the pipeline did not settle within %s; unaccounted: %s%n", settings.timeout(), missing);
    } else {
      out.printf("LOST: %s%n", missing);
    }
    out.flush();
    return outcome;
  }

  private void printDeadLetters() {
    out.println("dead-letter queues:");
    boolean any = false;
    for (String q : queues) {
      for (DeadLetter d : broker.deadLetters(q).peek(10_000)) {
        any = true;
        out.printf(
            "  %-29s %-9s %-12s attempts %d  %s%n",
            q + ".dlq",
            d.message().header(ORDER_ID).orElse(d.message().id()),
            d.reason(),
            d.attempts(),
            d.errorMessage());
      }
    }
    if (!any) {
      out.println("  (all empty)");
    }
  }

  private void event(String format, Object... args) {
    if (settings.quiet()) {
      return;
    }
    synchronized (out) {
      out.printf("[%5s] " + format + "%n", prepend(elapsed(), args));
      out.flush();
    }
  }

  private static Object[] prepend(Object first, Object[] rest) {
    Object[] all = new Object[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  private String elapsed() {
    return String.format(
        Locale.ROOT, "%.1fs", Duration.between(start, Instant.now()).toMillis() / 1000.0);
  }

  private static String money(int cents) {
    return String.format(Locale.ROOT, "$%d.%02d", cents / 100, cents % 100);
  }

  /** The payment gateway's transient failure. */
  static final class PaymentGatewayTimeout extends RuntimeException {
    PaymentGatewayTimeout(String message) {
      super(message);
    }
  }
}
