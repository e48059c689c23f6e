package io.jqueue.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jqueue.Backoff;
import io.jqueue.Capability;
import io.jqueue.ConsumerOptions;
import io.jqueue.DeadLetter;
import io.jqueue.DeadLetterReason;
import io.jqueue.Delivery;
import io.jqueue.DestinationNotFoundException;
import io.jqueue.Message;
import io.jqueue.StartPosition;
import io.jqueue.SubscriptionSpec;
import io.jqueue.TopicSpec;
import io.jqueue.TopologyConflictException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** SPEC §5 topics, subscriptions, filters, retention and replay. */
public abstract class TopicContract extends ContractSupport {
  private final List<String> topics = new ArrayList<>();

  @AfterEach
  void deleteTopics() {
    for (String t : topics) {
      try {
        broker.deleteTopic(t);
      } catch (io.jqueue.BrokerClosedException e) {
        return; // no test here closes its broker; should one, the next run uses new names
      }
    }
  }

  private String topic(Duration retention) {
    assumeSupports(Capability.TOPICS);
    String name = "topic-" + UUID.randomUUID().toString().substring(0, 8);
    broker.declareTopic(TopicSpec.builder(name).retention(retention).build());
    topics.add(name);
    return name;
  }

  private String topic() {
    return topic(Duration.ZERO);
  }

  private String subscribe(SubscriptionSpec spec) {
    broker.declareSubscription(spec);
    return spec.address();
  }

  private static Message event(String topic, String action, String text) {
    return Message.builder().topic(topic).action(action).text(text).build();
  }

  private List<String> drain(String address, int expected) {
    List<String> got = Collections.synchronizedList(new ArrayList<>());
    eventually()
        .until(
            () -> {
              for (Delivery d : broker.receive(address, 50, Duration.ofMillis(50))) {
                got.add(d.text());
                d.ack();
              }
              return got.size() >= expected;
            });
    return got;
  }

  private void assertEmpty(String address) {
    assertThat(broker.receive(address, 10, Duration.ofMillis(200))).isEmpty();
  }

  @Test
  @DisplayName("a publish reaches every subscription of its topic, and no other topic's")
  void fanOutAndIsolation() {
    String users = topic();
    String orders = topic();
    String a = subscribe(SubscriptionSpec.builder(users, "mailer").build());
    String b = subscribe(SubscriptionSpec.builder(users, "audit").build());
    String c = subscribe(SubscriptionSpec.builder(users, "search").build());
    String other = subscribe(SubscriptionSpec.builder(orders, "billing").build());

    publisher.publish(event(users, "user.created", "ada"));
    publisher.publish(event(users, "user.created", "grace"));

    for (String address : List.of(a, b, c)) {
      assertThat(drain(address, 2)).containsExactly("ada", "grace");
    }
    assertEmpty(other);
    assertThat(broker.subscriptions(users)).containsExactlyInAnyOrder(a, b, c);
    assertThat(broker.topics()).contains(users, orders);
  }

  @Test
  @DisplayName("action patterns route as AMQP topic bindings: * one word, # any number")
  void patternRouting() {
    String t = topic();
    String created = subscribe(SubscriptionSpec.builder(t, "created").actions("*.created").build());
    String user = subscribe(SubscriptionSpec.builder(t, "user").actions("user.#").build());

    publisher.publish(event(t, "user.created", "u1"));
    publisher.publish(event(t, "order.created", "o1"));
    publisher.publish(event(t, "user.profile.updated", "u2"));
    publisher.publish(event(t, "order.paid", "o2"));

    assertThat(drain(created, 2)).containsExactly("u1", "o1");
    assertThat(drain(user, 2)).containsExactly("u1", "u2");
    assertEmpty(created);
  }

  @Test
  @DisplayName("a predicate filter skips what it rejects, and the skips are counted")
  void predicateFilter() {
    String t = topic();
    String vip =
        subscribe(
            SubscriptionSpec.builder(t, "vip")
                .filter(m -> m.header("tier").orElse("").equals("gold"))
                .build());

    publisher.publish(event(t, "order.created", "plain"));
    publisher.publish(event(t, "order.created", "gold").toBuilder().header("tier", "gold").build());

    assertThat(drain(vip, 1)).containsExactly("gold");
    assertEmpty(vip);
    assertThat(broker.stats(vip).filtered()).isEqualTo(1);
  }

  @Test
  @DisplayName("a declarative filter over headers selects, and the skips are counted")
  void declarativeFilter() {
    String t = topic();
    String mailer =
        subscribe(
            SubscriptionSpec.builder(t, "mailer")
                .filter("attributes.channel = \"email\" AND NOT attributes:test")
                .build());
    Message email =
        event(t, "user.created", "mail-me").toBuilder().header("channel", "email").build();

    publisher.publish(email);
    publisher.publish(email.toBuilder().id("test-1").header("test", "yes").text("test").build());
    publisher.publish(event(t, "user.created", "sms").toBuilder().header("channel", "sms").build());

    assertThat(drain(mailer, 1)).containsExactly("mail-me");
    assertEmpty(mailer);
    assertThat(broker.stats(mailer).filtered()).isEqualTo(2);
  }

  @Test
  @DisplayName("a malformed filter is refused with its position before anything is declared")
  void malformedFilter() {
    String t = topic();

    assertThatThrownBy(
            () -> SubscriptionSpec.builder(t, "broken").filter("attributes.type = email").build())
        .isInstanceOfSatisfying(
            io.jqueue.filter.FilterSyntaxException.class,
            e -> assertThat(e.position()).isEqualTo(18));
    assertThat(broker.subscriptions(t)).isEmpty();
  }

  @Test
  @DisplayName("a filter that throws never loses or loops a message: it is dead-lettered")
  void throwingFilter() {
    String t = topic();
    String sub =
        subscribe(
            SubscriptionSpec.builder(t, "fragile")
                .filter(
                    m -> {
                      if (m.text().equals("boom")) {
                        throw new IllegalStateException("filter bug");
                      }
                      return true;
                    })
                .build());

    publisher.publish(event(t, "x", "boom"));
    publisher.publish(event(t, "x", "fine"));

    assertThat(drain(sub, 1)).containsExactly("fine");
    eventually().until(() -> broker.deadLetters(sub).count() == 1);
    DeadLetter dead = broker.deadLetters(sub).peek(1).get(0);
    assertThat(dead.reason()).isEqualTo(DeadLetterReason.REJECTED);
    assertThat(dead.errorMessage()).contains("filter bug");
    assertThat(dead.message().text()).isEqualTo("boom");
  }

  @Test
  @DisplayName("two subscriptions each get everything; competing consumers of one share it")
  void subscriptionsVersusCompetingConsumers() {
    String t = topic();
    String shared = subscribe(SubscriptionSpec.builder(t, "workers").build());
    String solo = subscribe(SubscriptionSpec.builder(t, "archive").build());
    List<String> one = Collections.synchronizedList(new ArrayList<>());
    List<String> two = Collections.synchronizedList(new ArrayList<>());
    List<String> archive = Collections.synchronizedList(new ArrayList<>());
    broker.subscribe(shared, ConsumerOptions.builder().id("w1").build(), d -> one.add(d.text()));
    broker.subscribe(shared, ConsumerOptions.builder().id("w2").build(), d -> two.add(d.text()));
    broker.subscribe(solo, d -> archive.add(d.text()));

    for (int i = 0; i < 20; i++) {
      publisher.publish(event(t, "job", "j" + i));
    }

    eventually().until(() -> one.size() + two.size() == 20 && archive.size() == 20);
    List<String> together = new ArrayList<>(one);
    together.addAll(two);
    assertThat(together).doesNotHaveDuplicates().hasSize(20);
    assertThat(archive).doesNotHaveDuplicates().hasSize(20);
  }

  @Test
  @DisplayName("per-subscription retries and dead-letter queue")
  void retriesPerSubscription() {
    String t = topic();
    String strict =
        subscribe(
            SubscriptionSpec.builder(t, "strict")
                .maxRetries(2)
                .backoff(Backoff.fixed(Duration.ofMillis(10)))
                .build());
    String lenient = subscribe(SubscriptionSpec.builder(t, "lenient").build());
    List<Integer> attempts = Collections.synchronizedList(new ArrayList<>());
    broker.subscribe(
        strict,
        d -> {
          attempts.add(d.attempt());
          throw new IllegalStateException("always");
        });

    publisher.publish(event(t, "x", "hard"));

    eventually().until(() -> broker.deadLetters(strict).count() == 1);
    assertThat(attempts).containsExactly(1, 2);
    assertThat(drain(lenient, 1)).containsExactly("hard");
  }

  @Test
  @DisplayName("publishing to a topic without subscriptions succeeds")
  void publishWithoutSubscriptions() {
    String t = topic();

    assertThat(publisher.publish(event(t, "x", "nobody listens")).messageId()).isNotBlank();
  }

  @Test
  @DisplayName("declaring is idempotent; a different spec conflicts; unknown topics are refused")
  void declareRules() {
    String t = topic();
    SubscriptionSpec spec = SubscriptionSpec.builder(t, "s").actions("a.*").build();
    subscribe(spec);
    subscribe(SubscriptionSpec.builder(t, "s").actions("a.*").build());

    assertThatThrownBy(
            () ->
                broker.declareSubscription(SubscriptionSpec.builder(t, "s").actions("b.*").build()))
        .isInstanceOf(TopologyConflictException.class);
    assertThatThrownBy(
            () ->
                broker.declareSubscription(SubscriptionSpec.builder("no-such-topic", "s").build()))
        .isInstanceOf(DestinationNotFoundException.class);
    assertThatThrownBy(
            () -> broker.declareTopic(TopicSpec.builder(t).retention(Duration.ofHours(1)).build()))
        .isInstanceOf(TopologyConflictException.class);
    assertThat(broker.deleteSubscription(spec.address())).isTrue();
    assertThat(broker.subscriptions(t)).isEmpty();
  }

  @Test
  @DisplayName(
      "a late subscriber sees only new messages with LATEST, the retained ones with EARLIEST")
  void startPositions() {
    assumeSupports(Capability.REPLAY);
    String t = topic(Duration.ofHours(1));
    publisher.publish(event(t, "x", "before-1"));
    publisher.publish(event(t, "x", "before-2"));

    String latest = subscribe(SubscriptionSpec.builder(t, "latest").build());
    String earliest =
        subscribe(SubscriptionSpec.builder(t, "earliest").startAt(StartPosition.EARLIEST).build());
    publisher.publish(event(t, "x", "after"));

    assertThat(drain(latest, 1)).containsExactly("after");
    assertThat(drain(earliest, 3)).containsExactly("before-1", "before-2", "after");
  }

  @Test
  @DisplayName("seek redelivers exactly the retained, matching messages published at or after it")
  void seekReplays() {
    assumeSupports(Capability.REPLAY);
    String t = topic(Duration.ofHours(1));
    String sub = subscribe(SubscriptionSpec.builder(t, "replayed").actions("keep.*").build());
    publisher.publish(event(t, "keep.a", "batch1"));
    Instant first = instantAfterLastPublish();
    publisher.publish(event(t, "keep.a", "batch2"));
    publisher.publish(event(t, "drop.a", "batch2-unmatched"));
    Instant second = instantAfterLastPublish();
    publisher.publish(event(t, "keep.a", "batch3"));
    assertThat(drain(sub, 3)).containsExactly("batch1", "batch2", "batch3");

    broker.seek(sub, second);
    assertThat(drain(sub, 1)).containsExactly("batch3");
    broker.seek(sub, first);
    assertThat(drain(sub, 2)).containsExactly("batch2", "batch3");
    assertEmpty(sub);
  }

  @Test
  @DisplayName("a message past its topic's retention is not replayed")
  void retentionExpires() {
    assumeSupports(Capability.REPLAY);
    // 3 s: "fresh" must still be retained when the subscription replays, even on a slow machine
    String t = topic(Duration.ofSeconds(3));
    Instant start = Instant.now().minusSeconds(1);
    publisher.publish(event(t, "x", "old"));
    Instant published = Instant.now();
    eventually().until(() -> Instant.now().isAfter(published.plusMillis(3_300)));
    publisher.publish(event(t, "x", "fresh"));

    String late =
        subscribe(SubscriptionSpec.builder(t, "late").startAt(StartPosition.at(start)).build());

    assertThat(drain(late, 1)).containsExactly("fresh");
    assertEmpty(late);
  }

  /** An instant strictly after the last publish and before the next one. */
  private static Instant instantAfterLastPublish() {
    Instant mark = Instant.now();
    eventually().until(() -> Instant.now().isAfter(mark.plusMillis(5)));
    Instant between = Instant.now();
    eventually().until(() -> Instant.now().isAfter(between.plusMillis(5)));
    return between;
  }
}
