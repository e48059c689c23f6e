package io.jqueue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class JQueueExceptionTest {

  static Stream<Throwable> transientErrors() {
    return Stream.of(
        new BrokerUnavailableException("connection lost"),
        new PublishTimeoutException("slow", Duration.ofSeconds(1)),
        new QueueFullException("orders", 10));
  }

  static Stream<Throwable> permanentErrors() {
    return Stream.of(
        new ValidationException("no topic"),
        new MessageTooLargeException("m-1", 2_000, 1_000),
        new DestinationNotFoundException("nowhere"),
        new UnroutableException("no route"),
        new CodecException("bad json"),
        new ConfigurationException("bad uri"),
        new BrokerClosedException("closed"),
        new TopologyConflictException("orders", "differs"),
        new CircuitOpenException("open"),
        new LeaseExpiredException("orders", "m-1", "timeout"),
        new RequestTimeoutException("no reply"),
        new RemoteHandlerException("handler failed"),
        new JQueueException("unknown"),
        new IllegalStateException("unknown runtime error"),
        new IOException("checked"),
        new OutOfMemoryError("error"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transientErrors")
  @DisplayName("an unavailable broker, a publish timeout and a full queue are transient")
  void transientOnes(Throwable error) {
    assertThat(JQueueException.isTransient(error)).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("permanentErrors")
  @DisplayName(
      "invalid input, missing destinations, closed brokers, open circuits and unknown errors are"
          + " not transient")
  void permanentOnes(Throwable error) {
    assertThat(JQueueException.isTransient(error)).isFalse();
  }

  @Test
  @DisplayName("a subclass of a transient error is transient; a wrapped one is not")
  void subclassesCountCausesDoNot() {
    BrokerUnavailableException sub = new BrokerUnavailableException("lost") {};
    assertThat(JQueueException.isTransient(sub)).isTrue();
    assertThat(JQueueException.isTransient(new JQueueException("wrapped", sub))).isFalse();
    assertThat(JQueueException.isTransient(null)).isFalse();
  }
}
