package io.jqueue.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jqueue.BatchResult;
import io.jqueue.Broker;
import io.jqueue.BrokerCapabilities;
import io.jqueue.ConsumerOptions;
import io.jqueue.DeadLetters;
import io.jqueue.Delivery;
import io.jqueue.Health;
import io.jqueue.HealthListener;
import io.jqueue.Message;
import io.jqueue.MessageHandler;
import io.jqueue.PublishReceipt;
import io.jqueue.Publisher;
import io.jqueue.PublisherOptions;
import io.jqueue.QueueSpec;
import io.jqueue.QueueStats;
import io.jqueue.Requester;
import io.jqueue.RequesterOptions;
import io.jqueue.Responder;
import io.jqueue.Subscription;
import io.jqueue.embedded.EmbeddedBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The demo's accounting is a real check: a broker that loses messages makes it fail. */
class LossDetectionTest {

  @Test
  @DisplayName(
      "the demo reports orders a lossy broker dropped instead of claiming nothing was lost")
  void detectsLoss() throws Exception {
    StringWriter out = new StringWriter();
    OrderPipelineDemo.Settings settings =
        new OrderPipelineDemo.Settings(
            "", 4, 0.0, 0, 1, true, Duration.ofMillis(10), Duration.ofSeconds(3));

    OrderPipelineDemo.Outcome outcome;
    try (Broker lossy = new DropsFulfillment(EmbeddedBroker.create())) {
      outcome = new OrderPipelineDemo(lossy, settings, new PrintWriter(out, true)).run();
    }

    assertThat(outcome.nothingLost()).isFalse();
    assertThat(outcome.missing())
        .containsExactlyInAnyOrder("ORDER-1", "ORDER-2", "ORDER-3", "ORDER-4");
    assertThat(out.toString()).doesNotContain("nothing was lost").contains("unaccounted");
  }

  /** A broker whose publishers claim to send messages for 'fulfillment' but drop them. */
  private static final class DropsFulfillment implements Broker {
    private final Broker delegate;

    DropsFulfillment(Broker delegate) {
      this.delegate = delegate;
    }

    @Override
    public Publisher publisher() {
      return publisher(PublisherOptions.defaults());
    }

    @Override
    public Publisher publisher(PublisherOptions options) {
      Publisher real = delegate.publisher(options);
      return new Publisher() {
        @Override
        public String id() {
          return real.id();
        }

        @Override
        public PublishReceipt publish(Message message) {
          return publish(message, Duration.ofSeconds(10));
        }

        @Override
        public PublishReceipt publish(Message message, Duration timeout) {
          if (message.topic().equals("fulfillment")) {
            return new PublishReceipt(message.id(), message.topic(), Instant.now()); // the lie
          }
          return real.publish(message, timeout);
        }

        @Override
        public CompletableFuture<PublishReceipt> publishAsync(Message message) {
          return CompletableFuture.completedFuture(publish(message));
        }

        @Override
        public BatchResult publishAll(List<Message> messages) {
          return real.publishAll(messages);
        }

        @Override
        public Health health() {
          return real.health();
        }

        @Override
        public void close(Duration timeout) {
          real.close(timeout);
        }
      };
    }

    @Override
    public void declareQueue(QueueSpec spec) {
      delegate.declareQueue(spec);
    }

    @Override
    public boolean deleteQueue(String name) {
      return delegate.deleteQueue(name);
    }

    @Override
    public Set<String> queues() {
      return delegate.queues();
    }

    @Override
    public Subscription subscribe(String queue, ConsumerOptions options, MessageHandler handler) {
      return delegate.subscribe(queue, options, handler);
    }

    @Override
    public List<Delivery> receive(String queue, ConsumerOptions options, int max, Duration wait) {
      return delegate.receive(queue, options, max, wait);
    }

    @Override
    public Requester requester(RequesterOptions options) {
      return delegate.requester(options);
    }

    @Override
    public Subscription respond(String queue, ConsumerOptions options, Responder responder) {
      return delegate.respond(queue, options, responder);
    }

    @Override
    public void declareTopic(io.jqueue.TopicSpec spec) {
      delegate.declareTopic(spec);
    }

    @Override
    public void declareSubscription(io.jqueue.SubscriptionSpec spec) {
      delegate.declareSubscription(spec);
    }

    @Override
    public boolean deleteSubscription(String address) {
      return delegate.deleteSubscription(address);
    }

    @Override
    public boolean deleteTopic(String topic) {
      return delegate.deleteTopic(topic);
    }

    @Override
    public java.util.Set<String> topics() {
      return delegate.topics();
    }

    @Override
    public java.util.Set<String> subscriptions(String topic) {
      return delegate.subscriptions(topic);
    }

    @Override
    public void seek(String address, java.time.Instant from) {
      delegate.seek(address, from);
    }

    @Override
    public DeadLetters deadLetters(String queue) {
      return delegate.deadLetters(queue);
    }

    @Override
    public QueueStats stats(String queue) {
      return delegate.stats(queue);
    }

    @Override
    public BrokerCapabilities capabilities() {
      return delegate.capabilities();
    }

    @Override
    public Health health() {
      return delegate.health();
    }

    @Override
    public HealthListener.Registration onHealthChange(HealthListener listener) {
      return delegate.onHealthChange(listener);
    }

    @Override
    public void close(Duration timeout) {
      delegate.close(timeout);
    }
  }
}
