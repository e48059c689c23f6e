package io.jqueue.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jqueue.Broker;
import io.jqueue.BrokerClosedException;
import io.jqueue.Capability;
import io.jqueue.Message;
import io.jqueue.Publisher;
import io.jqueue.QueueSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The per-test fixture of every contract section: a fresh broker, queues with unique names that are
 * deleted afterwards, and helpers. Sections extend it; {@link BrokerContract} supplies the broker.
 */
public abstract class ContractSupport {
  /** The broker under test, new for each test. */
  protected Broker broker;

  /** A publisher on {@link #broker}, closed with it. */
  protected Publisher publisher;

  private final List<String> declared = new ArrayList<>();

  /** Creates the broker under test. */
  protected abstract Broker newBroker();

  @BeforeEach
  void openBroker() {
    broker = newBroker();
    publisher = broker.publisher();
  }

  @AfterEach
  void closeBroker() {
    Broker cleaner = broker;
    try {
      for (String queue : declared) {
        try {
          cleaner.deleteQueue(queue);
        } catch (BrokerClosedException e) {
          // the test closed its broker: delete through a fresh one, so no queue outlives the test
          cleaner = newBroker();
          cleaner.deleteQueue(queue);
        }
      }
    } finally {
      broker.close(Duration.ofSeconds(5));
      if (cleaner != broker) {
        cleaner.close(Duration.ofSeconds(5));
      }
    }
  }

  /** Skips the test, naming the capability, when the broker lacks it. */
  protected void assumeSupports(Capability capability) {
    assumeTrue(
        broker.capabilities().supports(capability),
        () -> broker.capabilities().broker() + " lacks capability " + capability);
  }

  /** A queue builder with a unique name starting with {@code base}. */
  protected static QueueSpec.Builder queue(String base) {
    return QueueSpec.builder(uniqueName(base));
  }

  /** A unique queue name starting with {@code base}. */
  protected static String uniqueName(String base) {
    return base + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Declares {@code spec} and deletes it after the test; returns its name. */
  protected String declare(QueueSpec spec) {
    broker.declareQueue(spec);
    declared.add(spec.name());
    return spec.name();
  }

  /** Declares {@code builder}'s spec; returns the queue name. */
  protected String declare(QueueSpec.Builder builder) {
    return declare(builder.build());
  }

  /** A text message to {@code queue}. */
  protected static Message text(String queue, String text) {
    return Message.builder().topic(queue).text(text).build();
  }

  /** Publishes text messages {@code prefix-0 .. prefix-(n-1)} to {@code queue}, in order. */
  protected void publishTexts(String queue, String prefix, int n) {
    for (int i = 0; i < n; i++) {
      publisher.publish(text(queue, prefix + "-" + i));
    }
  }

  /** An Awaitility condition bounded at 15 seconds, polling every 10 ms. */
  protected static ConditionFactory eventually() {
    return Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(10));
  }

  /** Sleeps, in a handler that must outlast a lease; returns early only when interrupted. */
  protected static void sleepUninterruptedFor(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
