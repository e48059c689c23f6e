package io.jqueue.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmCallback;
import com.rabbitmq.client.Return;
import com.rabbitmq.client.ReturnCallback;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** How a publishing channel settles publishes: returns are matched to exactly their publish. */
class PublishChannelTest {
  private static final int FRAME_MAX = 131_072;

  /** A confirm-mode channel whose broker side the test plays by hand. */
  static final class FakeChannel {
    long nextSeq = 1;
    ConfirmCallback ack;
    ReturnCallback returns;
    final List<AMQP.BasicProperties> published = new ArrayList<>();
    RuntimeException
        failNextPublish; // thrown after the sequence number was taken, as encoding does
    final Channel channel =
        (Channel)
            Proxy.newProxyInstance(
                Channel.class.getClassLoader(),
                new Class<?>[] {Channel.class},
                (proxy, method, args) -> {
                  switch (method.getName()) {
                    case "addConfirmListener":
                      if (args.length == 2) {
                        ack = (ConfirmCallback) args[0];
                      }
                      return null;
                    case "addReturnListener":
                      returns = (ReturnCallback) args[0];
                      return null;
                    case "isOpen":
                      return true;
                    case "getNextPublishSeqNo":
                      return nextSeq;
                    case "basicPublish":
                      nextSeq++;
                      if (failNextPublish != null) {
                        RuntimeException e = failNextPublish;
                        failNextPublish = null;
                        throw e;
                      }
                      published.add((AMQP.BasicProperties) args[3]);
                      return null;
                    default:
                      return null;
                  }
                });

    /** RabbitMQ returns the n-th publish (0-based), with the properties it was sent with. */
    void returnPublish(int index) {
      returns.handle(new Return(312, "NO_ROUTE", "", "nowhere", published.get(index), new byte[0]));
    }
  }

  private static AMQP.BasicProperties withId(String id) {
    return new AMQP.BasicProperties.Builder().messageId(id).build();
  }

  @Test
  @DisplayName("two publishes sharing a message id: the return settles exactly the unroutable one")
  void returnMatchedToItsPublish() throws Exception {
    FakeChannel fake = new FakeChannel();
    PublishChannel ch = new PublishChannel(fake.channel, 10, FRAME_MAX);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
    PublishChannel.Pending routable =
        ch.publish("", "orders", true, withId("m-1"), new byte[0], deadline);
    PublishChannel.Pending unroutable =
        ch.publish("", "no-such-queue", true, withId("m-1"), new byte[0], deadline);

    // RabbitMQ: basic.return for seq 2, its basic.ack, then later the ack of seq 1
    fake.returnPublish(1);
    fake.ack.handle(2, false);
    fake.ack.handle(1, false);

    assertThat(unroutable.outcome.get()).isEqualTo(PublishChannel.Outcome.RETURNED);
    assertThat(routable.outcome.get()).isEqualTo(PublishChannel.Outcome.ACKED);
  }

  @Test
  @DisplayName("a returned message without a message id (a foreign one being moved) is RETURNED")
  void returnWithoutMessageId() throws Exception {
    FakeChannel fake = new FakeChannel();
    PublishChannel ch = new PublishChannel(fake.channel, 10, FRAME_MAX);
    AMQP.BasicProperties noId = new AMQP.BasicProperties.Builder().build();
    PublishChannel.Pending p =
        ch.publish("", "orders:retry", true, noId, new byte[0], Instant.now().plusSeconds(5));

    fake.returnPublish(0);
    fake.ack.handle(1, false);

    assertThat(p.outcome.get()).isEqualTo(PublishChannel.Outcome.RETURNED);
  }

  @Test
  @DisplayName(
      "a publish that fails after taking a sequence number retires the channel, fails only itself"
          + " with a typed error, and earlier confirms still settle the right publishes")
  void failedEncodingRetiresTheChannel() throws Exception {
    FakeChannel fake = new FakeChannel();
    PublishChannel ch = new PublishChannel(fake.channel, 10, FRAME_MAX);
    Instant deadline = Instant.now().plusSeconds(5);
    PublishChannel.Pending before = ch.publish("", "q", true, withId("a"), new byte[0], deadline);
    fake.failNextPublish = new IllegalArgumentException("Content headers exceeded max frame size");

    assertThatThrownBy(() -> ch.publish("", "q", true, withId("b"), new byte[0], deadline))
        .isInstanceOf(PublishChannel.UnencodableException.class)
        .hasMessageContaining("max frame size");

    assertThat(ch.isPermanentlyClosed()).as("retired: never back to the pool").isTrue();
    assertThat(ch.publish("", "q", true, withId("c"), new byte[0], deadline))
        .as("a retired channel sends nothing more")
        .isNull();
    assertThat(fake.published).extracting(AMQP.BasicProperties::getMessageId).containsExactly("a");
    fake.ack.handle(1, false); // RabbitMQ confirms the one publish it saw
    assertThat(before.outcome).isCompletedWithValue(PublishChannel.Outcome.ACKED);
  }

  @Test
  @DisplayName(
      "a header frame over the frame size or an id over 255 bytes is refused before the channel"
          + " is touched")
  void unencodableRefusedUpFront() throws Exception {
    FakeChannel fake = new FakeChannel();
    PublishChannel ch = new PublishChannel(fake.channel, 10, FRAME_MAX);
    Instant deadline = Instant.now().plusSeconds(5);
    AMQP.BasicProperties bigHeader =
        new AMQP.BasicProperties.Builder()
            .messageId("big")
            .headers(java.util.Map.of("blob", "v".repeat(200_000)))
            .build();

    assertThatThrownBy(() -> ch.publish("", "q", true, bigHeader, new byte[0], deadline))
        .isInstanceOf(PublishChannel.UnencodableException.class)
        .hasMessageContaining("frame size of 131072");
    assertThatThrownBy(
            () -> ch.publish("", "q", true, withId("i".repeat(300)), new byte[0], deadline))
        .isInstanceOf(PublishChannel.UnencodableException.class);

    assertThat(fake.nextSeq).as("no sequence number taken").isEqualTo(1);
    assertThat(ch.isPermanentlyClosed()).isFalse();
    assertThat(ch.publish("", "q", true, withId("ok"), new byte[0], deadline)).isNotNull();
  }

  @Test
  @DisplayName("a multiple ack settles every earlier publish; a nack reports NACKED")
  void multipleAckAndNack() throws Exception {
    FakeChannel fake = new FakeChannel();
    PublishChannel ch = new PublishChannel(fake.channel, 10, FRAME_MAX);
    Instant deadline = Instant.now().plusSeconds(5);
    PublishChannel.Pending a = ch.publish("", "q", true, withId("a"), new byte[0], deadline);
    PublishChannel.Pending b = ch.publish("", "q", true, withId("b"), new byte[0], deadline);
    PublishChannel.Pending c = ch.publish("", "q", true, withId("c"), new byte[0], deadline);

    fake.ack.handle(2, true);

    assertThat(a.outcome).isCompletedWithValue(PublishChannel.Outcome.ACKED);
    assertThat(b.outcome).isCompletedWithValue(PublishChannel.Outcome.ACKED);
    assertThat(c.outcome).isNotDone();
  }

  @Test
  @DisplayName(
      "on a real RabbitMQ, same-id publishes to a queue and to nowhere never swap outcomes")
  void realServer() throws Exception {
    String q = "jqueue-returns-" + System.nanoTime();
    try (com.rabbitmq.client.Connection c = RabbitMqPublishingTest.plainConnection()) {
      Channel admin = c.createChannel();
      admin.queueDeclare(q, true, false, false, null);
      PublishChannel ch = new PublishChannel(c.createChannel(), 100, c.getFrameMax());
      int wrong = 0;
      for (int i = 0; i < 20; i++) {
        AMQP.BasicProperties props =
            new AMQP.BasicProperties.Builder().messageId("dup-" + i).deliveryMode(2).build();
        Instant deadline = Instant.now().plusSeconds(5);
        PublishChannel.Pending routable = ch.publish("", q, true, props, new byte[10], deadline);
        PublishChannel.Pending unroutable =
            ch.publish("", q + "-missing", true, props, new byte[10], deadline);
        if (unroutable.outcome.get() != PublishChannel.Outcome.RETURNED
            || routable.outcome.get() != PublishChannel.Outcome.ACKED) {
          wrong++;
        }
      }
      admin.queueDelete(q);
      assertThat(wrong).as("publishes whose outcome was swapped, of 20").isZero();
    }
  }
}
