package io.jqueue.publishers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jqueue.BatchResult;
import io.jqueue.BrokerClosedException;
import io.jqueue.Message;
import io.jqueue.PublishOutcome;
import io.jqueue.UnroutableException;
import io.jqueue.ValidationException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RouterTest {
  private final RecordingPublisher users = RecordingPublisher.create();
  private final RecordingPublisher orders = RecordingPublisher.create();
  private final RecordingPublisher userAudit = RecordingPublisher.create();
  private final RecordingPublisher fallback = RecordingPublisher.create();

  private static Message msg(String topic) {
    return Message.builder().topic(topic).text(topic).build();
  }

  @Test
  @DisplayName("the first route added that matches wins, then the fallback")
  void firstMatchInOrder() {
    Router router =
        Router.builder()
            .route("user.audit", userAudit)
            .route("user.*", users)
            .route("order.*", orders)
            .fallback(fallback)
            .build();

    router.publish(msg("user.created"));
    router.publish(msg("user.audit"));
    router.publish(msg("order.paid"));
    router.publish(msg("payments"));

    assertThat(users.published()).extracting(Message::topic).containsExactly("user.created");
    assertThat(userAudit.published()).extracting(Message::topic).containsExactly("user.audit");
    assertThat(orders.published()).extracting(Message::topic).containsExactly("order.paid");
    assertThat(fallback.published()).extracting(Message::topic).containsExactly("payments");
  }

  @Test
  @DisplayName("globs cover the whole topic: * any run, ? one character, the rest literally")
  void globs() {
    assertThat(Router.matches("user.*", "user.created")).isTrue();
    assertThat(Router.matches("user.*", "user.")).isTrue();
    assertThat(Router.matches("user.*", "users")).isFalse();
    assertThat(Router.matches("user.*", "xuser.created")).isFalse();
    assertThat(Router.matches("*.dlq", "orders.dlq")).isTrue();
    assertThat(Router.matches("v?.orders", "v2.orders")).isTrue();
    assertThat(Router.matches("v?.orders", "v10.orders")).isFalse();
    assertThat(Router.matches("a.b", "axb")).as("a dot is a dot").isFalse();
  }

  @Test
  @DisplayName("without a fallback an unmatched topic is unroutable, and nothing is sent")
  void unroutable() {
    Router router = Router.builder().route("user.*", users).build();

    assertThatThrownBy(() -> router.publish(msg("orders")))
        .isInstanceOf(UnroutableException.class)
        .hasMessageContaining("user.*");
    assertThat(router.publishAsync(msg("orders")))
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(UnroutableException.class);
    assertThat(users.published()).isEmpty();
  }

  @Test
  @DisplayName("a batch is split by route and its outcomes come back in the caller's order")
  void batchSplit() {
    orders.failWhen(m -> m.topic().equals("order.bad"), m -> new ValidationException("bad"));
    Router router = Router.builder().route("user.*", users).route("order.*", orders).build();

    BatchResult result =
        router.publishAll(
            List.of(
                msg("order.a"), msg("user.a"), msg("nowhere"), msg("order.bad"), msg("user.b")));

    assertThat(result.outcomes())
        .extracting(o -> o.message().topic() + ":" + o.succeeded())
        .containsExactly(
            "order.a:true", "user.a:true", "nowhere:false", "order.bad:false", "user.b:true");
    assertThat(result.outcomes().get(2).error()).isInstanceOf(UnroutableException.class);
    assertThat(users.published()).extracting(Message::topic).containsExactly("user.a", "user.b");
  }

  @Test
  @DisplayName("closing the router stops it, not the publishers behind it")
  void closeLeavesTargets() {
    Router router = Router.builder().route("user.*", users).build();

    router.close();

    assertThatThrownBy(() -> router.publish(msg("user.x")))
        .isInstanceOf(BrokerClosedException.class);
    users.publish(msg("user.y"));
    assertThat(users.published()).hasSize(1);
  }

  @Test
  @DisplayName("routers compose: a router behind a router, and a batch publisher as a target")
  void composes() {
    BatchPublisher batched =
        BatchPublisher.builder(orders).maxBatchSize(2).flushInterval(Duration.ofMillis(20)).build();
    Router inner = Router.builder().route("user.*", users).build();
    Router outer = Router.builder().route("order.*", batched).fallback(inner).build();

    outer.publish(msg("order.1"));
    outer.publishAsync(msg("user.1")).join();
    PublishOutcome o = outer.publishAll(List.of(msg("order.2"))).outcomes().get(0);
    batched.close(Duration.ofSeconds(5));

    assertThat(o.succeeded()).isTrue();
    assertThat(orders.published()).extracting(Message::topic).containsExactly("order.1", "order.2");
    assertThat(users.published()).extracting(Message::topic).containsExactly("user.1");
  }

  @Test
  @DisplayName("empty routers, blank and repeated patterns are refused")
  void badRoutes() {
    assertThatThrownBy(() -> Router.builder().build()).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> Router.builder().route("", users))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> Router.builder().route("a.*", users).route("a.*", orders))
        .isInstanceOf(ValidationException.class);
  }

  @Test
  @DisplayName("health: UP; DEGRADED naming a route whose publisher is down; DOWN when all are")
  void health() {
    Router router = Router.builder().route("user.*", users).fallback(fallback).build();
    assertThat(router.health().isUp()).isTrue();

    users.reportHealth(io.jqueue.Health.down("connection lost"));
    assertThat(router.health().status()).isEqualTo(io.jqueue.Health.Status.DEGRADED);
    assertThat(router.health().reason()).contains("connection lost");

    fallback.reportHealth(io.jqueue.Health.down("connection lost"));
    assertThat(router.health().status()).isEqualTo(io.jqueue.Health.Status.DOWN);
    router.close();
    assertThat(router.health().reason()).contains("closed");
  }
}
