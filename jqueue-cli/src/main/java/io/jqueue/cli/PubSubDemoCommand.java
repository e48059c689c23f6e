package io.jqueue.cli;

import io.jqueue.Broker;
import io.jqueue.ConsumerOptions;
import io.jqueue.Message;
import io.jqueue.Publisher;
import io.jqueue.QueueStats;
import io.jqueue.SubscriptionSpec;
import io.jqueue.TopicSpec;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jqueue demo pubsub}: one topic, three subscriptions with different action patterns and
 * filters (one of them slow), then a replay of the retained messages into one subscription.
 */
@Command(
    name = "pubsub",
    mixinStandardHelpOptions = true,
    description =
        "Publish/subscribe: one topic fans out to three subscriptions (action patterns, a"
            + " declarative filter, a slow consumer), then a replay (seek) shows which retained"
            + " messages come back (exit 1 if any subscription got the wrong messages).")
final class PubSubDemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin BrokerChoice brokerChoice;

  @Option(names = "--verbose", description = "Also print jqueue's own log lines.")
  boolean verbose;

  private final Map<String, List<String>> received = new LinkedHashMap<>();

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    String problem = brokerChoice.problem();
    if (problem != null) {
      spec.commandLine().getErr().println(problem);
      return 2;
    }
    String topic = brokerChoice.queuePrefix() + "shop-events";
    try (Broker broker = brokerChoice.open("demo-pubsub")) {
      broker.deleteTopic(topic);
      try {
        return run(broker, topic, out) ? 0 : 1;
      } finally {
        broker.deleteTopic(topic);
      }
    }
  }

  private boolean run(Broker broker, String topic, PrintWriter out) throws InterruptedException {
    broker.declareTopic(TopicSpec.builder(topic).retention(Duration.ofHours(1)).build());
    SubscriptionSpec billing =
        SubscriptionSpec.builder(topic, "billing").actions("order.*").build();
    SubscriptionSpec vip =
        SubscriptionSpec.builder(topic, "vip-desk")
            .actions("order.#", "user.#")
            .filter("attributes.tier = \"gold\" AND NOT attributes:test")
            .build();
    SubscriptionSpec analytics = SubscriptionSpec.builder(topic, "analytics").build();
    out.printf("jqueue pub/sub on %s: topic '%s' (retained 1 h)%n", brokerChoice.describe(), topic);
    for (SubscriptionSpec s : List.of(billing, vip, analytics)) {
      broker.declareSubscription(s);
      received.put(s.name(), Collections.synchronizedList(new ArrayList<>()));
      out.printf(
          "  subscription %-10s actions %s%s%n",
          s.name(), s.actions(), s.filterExpression().map(f -> ", filter " + f).orElse(""));
    }
    consume(broker, billing, Duration.ZERO);
    consume(broker, vip, Duration.ZERO);
    consume(broker, analytics, Duration.ofMillis(30)); // the slow one
    out.println();

    Publisher publisher = broker.publisher();
    out.println("1. publishing the first batch");
    publish(publisher, topic, "order.created", "o-1", "silver", false);
    publish(publisher, topic, "order.created", "o-2", "gold", false);
    publish(publisher, topic, "user.signup", "u-1", "gold", false);
    waitFor(broker, List.of(billing, vip, analytics), 2, 2, 3);
    Instant between = Instant.now();
    waitAMoment();
    out.println("2. publishing the second batch");
    publish(publisher, topic, "order.paid", "o-2", "gold", false);
    publish(publisher, topic, "order.paid", "o-3", "gold", true);
    publish(publisher, topic, "inventory.low", "sku-9", "none", false);
    waitFor(broker, List.of(billing, vip, analytics), 4, 3, 6);
    printReceived(broker, topic, out);
    boolean fanOut =
        received
                .get("billing")
                .equals(
                    List.of(
                        "order.created o-1",
                        "order.created o-2",
                        "order.paid o-2",
                        "order.paid o-3"))
            && received
                .get("vip-desk")
                .equals(List.of("order.created o-2", "user.signup u-1", "order.paid o-2"))
            && received.get("analytics").size() == 6
            && broker.stats(vip.address()).filtered() == 2;

    out.println("3. replay: seek 'billing' to the instant between the batches");
    received.get("billing").clear();
    broker.seek(billing.address(), between);
    waitFor(broker, List.of(billing), 2, 0, 0);
    out.printf("   billing got again: %s%n%n", received.get("billing"));
    boolean ok =
        fanOut && received.get("billing").equals(List.of("order.paid o-2", "order.paid o-3"));
    out.println(ok ? "every subscription got exactly its messages" : "UNEXPECTED messages");
    out.flush();
    return ok;
  }

  private void consume(Broker broker, SubscriptionSpec s, Duration slowness) {
    broker.subscribe(
        s.address(),
        ConsumerOptions.builder().id(s.name() + "-worker").build(),
        d -> {
          if (!slowness.isZero()) {
            Thread.sleep(slowness.toMillis());
          }
          received.get(s.name()).add(d.message().action() + " " + d.text());
        });
  }

  private static void publish(
      Publisher publisher, String topic, String action, String id, String tier, boolean test) {
    Message.Builder m = Message.builder().topic(topic).action(action).text(id).header("tier", tier);
    if (test) {
      m.header("test", "true");
    }
    publisher.publish(m.build());
  }

  private void waitFor(Broker broker, List<SubscriptionSpec> subs, int... counts)
      throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(30);
    while (Instant.now().isBefore(deadline)) {
      boolean all = true;
      for (int i = 0; i < subs.size(); i++) {
        all &= received.get(subs.get(i).name()).size() >= counts[i];
      }
      if (all) {
        return;
      }
      Thread.sleep(20);
    }
  }

  private static void waitAMoment() throws InterruptedException {
    Thread.sleep(20); // the replay instant lies strictly between the two batches
  }

  private void printReceived(Broker broker, String topic, PrintWriter out) {
    for (Map.Entry<String, List<String>> e : received.entrySet()) {
      QueueStats stats = broker.stats(topic + "/" + e.getKey());
      out.printf(
          "   %-10s got %-70s (filtered out: %d)%n", e.getKey(), e.getValue(), stats.filtered());
    }
    out.println();
  }
}
