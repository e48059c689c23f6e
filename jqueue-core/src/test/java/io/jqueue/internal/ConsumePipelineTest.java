package io.jqueue.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.jqueue.BrokerUnavailableException;
import io.jqueue.CodecException;
import io.jqueue.ConsumeMiddleware;
import io.jqueue.DeadLetterReason;
import io.jqueue.Delivery;
import io.jqueue.LeaseExpiredException;
import io.jqueue.Message;
import io.jqueue.MessageHandler;
import io.jqueue.QueueSpec;
import io.jqueue.codec.Codec;
import io.jqueue.internal.ConsumePipeline.Result;
import io.jqueue.spi.AbstractDelivery;
import io.jqueue.spi.AttemptRule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ConsumePipelineTest {
  private final List<String> trace = new CopyOnWriteArrayList<>();
  private final FakeDelivery delivery =
      new FakeDelivery(Message.builder().topic("orders").text("original").build());

  /** A delivery that records which outcome it got; a second outcome throws, like a real one. */
  static final class FakeDelivery extends AbstractDelivery {
    final List<String> outcomes = new CopyOnWriteArrayList<>();
    volatile Throwable error;
    volatile boolean leaseExpired;
    volatile RuntimeException settleError;
    private volatile boolean settled;

    FakeDelivery(Message message) {
      super(
          message,
          Codec.json(),
          "orders",
          2,
          AttemptRule.of(QueueSpec.builder("orders").maxRetries(5).build()),
          "consumer-1");
    }

    private void settle(String outcome, Throwable cause) {
      if (leaseExpired) {
        throw new LeaseExpiredException(queue(), message().id(), "visibility timeout passed");
      }
      if (settleError != null) {
        throw settleError;
      }
      if (settled) {
        throw new IllegalStateException("already settled: " + outcomes);
      }
      settled = true;
      outcomes.add(outcome);
      error = cause;
    }

    @Override
    public Instant deadline() {
      return Instant.now().plusSeconds(30);
    }

    @Override
    protected void settleAck() {
      settle("ack", null);
    }

    @Override
    protected void settleFailure(Throwable e, Duration delay) {
      settle(e != null ? "fail" : "retry", e);
    }

    @Override
    protected void settleDeadLetter(DeadLetterReason reason, Throwable e, String detail) {
      settle("deadLetter:" + reason, e);
    }

    @Override
    public void extendLease(Duration duration) {}

    @Override
    public boolean isLeaseLost() {
      return false; // this fake reports an ended lease by throwing from its outcome methods
    }

    @Override
    public boolean isSettled() {
      return settled;
    }
  }

  private static ConsumePipeline pipeline(
      MessageHandler handler, ConsumeMiddleware... middlewares) {
    return new ConsumePipeline(List.of(middlewares), handler);
  }

  private ConsumeMiddleware tracing(String name) {
    return ConsumeMiddleware.named(
        name,
        (d, chain) -> {
          trace.add(name + ">");
          chain.proceed(d);
          trace.add("<" + name);
        });
  }

  @Test
  @DisplayName("a handler returning normally acks the delivery")
  void returnAcks() {
    Result result = pipeline(d -> {}).run(delivery);

    assertThat(result).isEqualTo(Result.HANDLED);
    assertThat(delivery.outcomes).containsExactly("ack");
  }

  @Test
  @DisplayName("a handler throwing fails the delivery with that error")
  void throwFails() {
    Exception boom = new Exception("boom");

    Result result =
        pipeline(
                d -> {
                  throw boom;
                })
            .run(delivery);

    assertThat(result).isEqualTo(Result.FAILED);
    assertThat(delivery.outcomes).containsExactly("fail");
    assertThat(delivery.error).isSameAs(boom);
  }

  @Test
  @DisplayName("a CodecException dead-letters with DECODE_ERROR instead of failing")
  void codecExceptionDeadLetters() {
    CodecException bad = new CodecException("bad payload");

    Result result =
        pipeline(
                d -> {
                  throw bad;
                })
            .run(delivery);

    assertThat(result).isEqualTo(Result.FAILED);
    assertThat(delivery.outcomes).containsExactly("deadLetter:DECODE_ERROR");
    assertThat(delivery.error).isSameAs(bad);
  }

  @Test
  @DisplayName("an error whose cause chain holds a CodecException dead-letters with DECODE_ERROR")
  void wrappedCodecExceptionDeadLetters() {
    RuntimeException wrapped =
        new RuntimeException(
            "handler failed", new IllegalStateException("mapping", new CodecException("bad")));

    pipeline(
            d -> {
              throw wrapped;
            })
        .run(delivery);

    assertThat(delivery.outcomes).containsExactly("deadLetter:DECODE_ERROR").doesNotContain("fail");
    assertThat(delivery.error).isSameAs(wrapped);
  }

  @Test
  @DisplayName("a payload the handler cannot decode with delivery.data() is dead-lettered")
  void undecodablePayload() {
    record Order(String id) {}
    FakeDelivery poison =
        new FakeDelivery(Message.builder().topic("orders").text("{not json").build());

    pipeline(d -> d.data(Order.class)).run(poison);

    assertThat(poison.outcomes).containsExactly("deadLetter:DECODE_ERROR");
    assertThat(poison.error).isInstanceOf(CodecException.class);
  }

  @Test
  @DisplayName("a handler that settles the delivery itself is not settled again")
  void handlerSettles() {
    Result retried = pipeline(d -> d.retry(Duration.ofSeconds(1))).run(delivery);
    FakeDelivery other = new FakeDelivery(delivery.message());
    Result rejected =
        pipeline(
                d -> {
                  d.deadLetter("unsupported version");
                  throw new IllegalStateException("after dead-lettering");
                })
            .run(other);

    assertThat(retried).isEqualTo(Result.HANDLED);
    assertThat(delivery.outcomes).containsExactly("retry");
    assertThat(rejected).isEqualTo(Result.FAILED);
    assertThat(other.outcomes).containsExactly("deadLetter:REJECTED");
  }

  @Test
  @DisplayName("a settle refused with LeaseExpiredException gives LEASE_LOST and does not escape")
  void leaseLost() {
    delivery.leaseExpired = true;

    Result acked = pipeline(d -> {}).run(delivery);
    Result failed =
        pipeline(
                d -> {
                  throw new IllegalStateException("boom");
                })
            .run(delivery);

    assertThat(acked).isEqualTo(Result.LEASE_LOST);
    assertThat(failed).isEqualTo(Result.LEASE_LOST);
    assertThat(delivery.outcomes).isEmpty();
  }

  @Test
  @DisplayName("middlewares run in the order listed: the first listed is outermost")
  void firstListedOutermost() {
    pipeline(d -> trace.add("handler"), tracing("a"), tracing("b"), tracing("c")).run(delivery);

    assertThat(trace).containsExactly("a>", "b>", "c>", "handler", "<c", "<b", "<a");
    assertThat(delivery.outcomes).containsExactly("ack");
  }

  @Test
  @DisplayName("the outcome link is innermost: a middleware sees the error after it was recorded")
  void middlewareSeesSettledError() {
    AtomicReference<String> seen = new AtomicReference<>();
    ConsumeMiddleware observer =
        (d, chain) -> {
          try {
            chain.proceed(d);
          } catch (IllegalStateException e) {
            seen.set(e.getMessage() + ", settled=" + d.isSettled());
            throw e;
          }
        };

    pipeline(
            d -> {
              throw new IllegalStateException("boom");
            },
            observer)
        .run(delivery);

    assertThat(seen.get()).isEqualTo("boom, settled=true");
    assertThat(delivery.outcomes).containsExactly("fail");
  }

  @Test
  @DisplayName("a middleware sees the ack recorded when proceed returns")
  void middlewareSeesAck() {
    AtomicReference<String> seen = new AtomicReference<>();
    ConsumeMiddleware observer =
        (d, chain) -> {
          chain.proceed(d);
          seen.set("settled=" + d.isSettled() + " " + delivery.outcomes);
        };

    Result result = pipeline(d -> trace.add("handler"), observer).run(delivery);

    assertThat(result).isEqualTo(Result.HANDLED);
    assertThat(seen.get()).isEqualTo("settled=true [ack]");
  }

  @Test
  @DisplayName("a middleware swallowing the handler's error does not turn the failure into an ack")
  void swallowedErrorStaysFailed() {
    ConsumeMiddleware swallow =
        (d, chain) -> {
          try {
            chain.proceed(d);
          } catch (IllegalStateException e) {
            trace.add("swallowed " + e.getMessage());
          }
        };

    Result result =
        pipeline(
                d -> {
                  throw new IllegalStateException("boom");
                },
                swallow)
            .run(delivery);

    assertThat(result).isEqualTo(Result.FAILED);
    assertThat(trace).containsExactly("swallowed boom");
    assertThat(delivery.outcomes).containsExactly("fail");
  }

  @Test
  @DisplayName("a middleware's own CodecException, thrown before the handler, dead-letters")
  void middlewareDecodeErrorDeadLetters() {
    ConsumeMiddleware decompress =
        ConsumeMiddleware.named(
            "decompress",
            (d, chain) -> {
              throw new CodecException("corrupt gzip body");
            });

    Result result = pipeline(d -> trace.add("handler"), decompress).run(delivery);

    assertThat(result).isEqualTo(Result.FAILED);
    assertThat(trace).isEmpty();
    assertThat(delivery.outcomes).containsExactly("deadLetter:DECODE_ERROR");
  }

  @Test
  @DisplayName("a middleware failing after the ack was recorded counts as failed, settles nothing")
  void middlewareFailsAfterAck() {
    ConsumeMiddleware late =
        (d, chain) -> {
          chain.proceed(d);
          throw new IllegalStateException("after the handler");
        };

    Result result = pipeline(d -> trace.add("handler"), late).run(delivery);

    assertThat(result).isEqualTo(Result.FAILED);
    assertThat(delivery.outcomes).containsExactly("ack");
  }

  @Test
  @DisplayName("a middleware that does not call proceed skips the handler and the message is acked")
  void middlewareSkips() {
    ConsumeMiddleware filter = (d, chain) -> {};

    pipeline(d -> trace.add("handler"), filter).run(delivery);

    assertThat(trace).isEmpty();
    assertThat(delivery.outcomes).containsExactly("ack");
  }

  @Test
  @DisplayName("a middleware calling proceed twice gets an error naming it; the handler runs once")
  void proceedTwice() {
    AtomicReference<Exception> second = new AtomicReference<>();
    ConsumeMiddleware twice =
        ConsumeMiddleware.named(
            "double-dipper",
            (d, chain) -> {
              chain.proceed(d);
              try {
                chain.proceed(d);
              } catch (IllegalStateException e) {
                second.set(e);
                throw e;
              }
            });

    Result result = pipeline(d -> trace.add("handler"), twice).run(delivery);

    assertThat(result).isEqualTo(Result.FAILED);
    assertThat(trace).containsExactly("handler");
    assertThat(delivery.outcomes).containsExactly("ack");
    assertThat(second.get())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("double-dipper")
        .hasMessageContaining("more than once");
  }

  @Test
  @DisplayName("a middleware calling proceed twice before the handler ran fails the delivery")
  void proceedTwiceAroundFailure() {
    ConsumeMiddleware twice =
        ConsumeMiddleware.named(
            "double-dipper",
            (d, chain) -> {
              try {
                chain.proceed(d);
              } catch (IllegalStateException e) {
                chain.proceed(d); // retry in place: refused
              }
            });

    Result result =
        pipeline(
                d -> {
                  throw new IllegalStateException("boom");
                },
                twice)
            .run(delivery);

    assertThat(result).isEqualTo(Result.FAILED);
    assertThat(delivery.outcomes).containsExactly("fail");
    assertThat(delivery.error).hasMessage("boom");
  }

  @Test
  @DisplayName("a middleware passing null to proceed fails the delivery with an error naming it")
  void proceedNull() {
    ConsumeMiddleware broken = ConsumeMiddleware.named("broken", (d, chain) -> chain.proceed(null));

    pipeline(d -> trace.add("handler"), broken).run(delivery);

    assertThat(trace).isEmpty();
    assertThat(delivery.outcomes).containsExactly("fail");
    assertThat(delivery.error).hasMessageContaining("broken");
  }

  @Test
  @DisplayName(
      "with a withMessage view the handler sees the new message, outcomes reach the original")
  void viewSettlesOriginal() {
    Message replaced = delivery.message().toBuilder().text("decompressed").build();
    ConsumeMiddleware replace = (d, chain) -> chain.proceed(d.withMessage(replaced));
    AtomicReference<Delivery> seen = new AtomicReference<>();

    Result result =
        pipeline(
                d -> {
                  seen.set(d);
                  throw new IllegalStateException("handler saw " + d.text());
                },
                replace)
            .run(delivery);

    assertThat(result).isEqualTo(Result.FAILED);
    assertThat(seen.get().message()).isSameAs(replaced);
    assertThat(seen.get().queue()).isEqualTo("orders");
    assertThat(seen.get().attempt()).isEqualTo(2);
    assertThat(delivery.outcomes).containsExactly("fail");
    assertThat(delivery.error).hasMessage("handler saw decompressed");
    assertThat(delivery.message().text()).isEqualTo("original");
  }

  @Test
  @DisplayName("a handler acking a view of a view settles the original exactly once")
  void viewOfViewAck() {
    Message first = delivery.message().toBuilder().text("one").build();
    Message second = delivery.message().toBuilder().text("two").build();
    ConsumeMiddleware a = (d, chain) -> chain.proceed(d.withMessage(first));
    ConsumeMiddleware b = (d, chain) -> chain.proceed(d.withMessage(second));
    AtomicReference<String> text = new AtomicReference<>();

    Result result =
        pipeline(
                d -> {
                  text.set(d.text());
                  d.ack();
                },
                a,
                b)
            .run(delivery);

    assertThat(result).isEqualTo(Result.HANDLED);
    assertThat(text.get()).isEqualTo("two");
    assertThat(delivery.outcomes).containsExactly("ack");
  }

  @Test
  @DisplayName("a VirtualMachineError still fails the delivery and is then rethrown")
  void virtualMachineError() {
    OutOfMemoryError oom = new OutOfMemoryError("test");

    assertThatThrownBy(
            () ->
                pipeline(
                        d -> {
                          throw oom;
                        })
                    .run(delivery))
        .isSameAs(oom);
    assertThat(delivery.outcomes).containsExactly("fail");
  }

  @Test
  @DisplayName("an error with a cyclic cause chain is failed, not looped on forever")
  void cyclicCauseChain() {
    IllegalStateException a = new IllegalStateException("a");
    IllegalArgumentException b = new IllegalArgumentException("b", a);
    a.initCause(b);

    Result result =
        assertTimeoutPreemptively(
            Duration.ofSeconds(5),
            () ->
                pipeline(
                        d -> {
                          throw a;
                        })
                    .run(delivery));

    assertThat(result).isEqualTo(Result.FAILED);
    assertThat(delivery.outcomes).containsExactly("fail");
  }

  @Test
  @DisplayName("a settle failing with another error does not escape run()")
  void settleFailureDoesNotEscape() {
    delivery.settleError = new BrokerUnavailableException("channel closed during ack");

    assertThatCode(() -> pipeline(d -> {}).run(delivery)).doesNotThrowAnyException();
  }

  @Test
  @DisplayName("a pulled delivery with no middleware is handed out as it is, unsettled")
  void handOutPlain() {
    assertThat(pipeline(d -> {}).handOut(delivery)).containsSame(delivery);
    assertThat(delivery.outcomes).isEmpty();
  }

  @Test
  @DisplayName("a pulled delivery passes the middlewares: the caller gets the replaced message")
  void handOutReplaced() {
    Message replaced = delivery.message().toBuilder().text("decompressed").build();
    ConsumeMiddleware replace = (d, chain) -> chain.proceed(d.withMessage(replaced));

    Delivery got =
        pipeline(d -> trace.add("handler"), tracing("a"), replace).handOut(delivery).get();

    assertThat(got.text()).isEqualTo("decompressed");
    assertThat(trace).containsExactly("a>", "<a");
    assertThat(delivery.outcomes).isEmpty();
    got.ack();
    assertThat(delivery.outcomes).containsExactly("ack");
  }

  @Test
  @DisplayName("a pulled delivery a middleware cannot decode is dead-lettered, not handed out")
  void handOutDecodeError() {
    ConsumeMiddleware decrypt =
        (d, chain) -> {
          throw new CodecException("tampered");
        };

    assertThat(pipeline(d -> {}, decrypt).handOut(delivery)).isEmpty();
    assertThat(delivery.outcomes).containsExactly("deadLetter:DECODE_ERROR");
  }

  @Test
  @DisplayName("a pulled delivery a middleware skips (a duplicate) is acked, not handed out")
  void handOutSkipped() {
    ConsumeMiddleware dedup = (d, chain) -> {};

    assertThat(pipeline(d -> {}, dedup).handOut(delivery)).isEmpty();
    assertThat(delivery.outcomes).containsExactly("ack");
  }

  @Test
  @DisplayName("a middleware failing after handing a pulled delivery out fails it instead")
  void handOutLateFailure() {
    ConsumeMiddleware late =
        (d, chain) -> {
          chain.proceed(d);
          throw new IllegalStateException("after");
        };

    assertThat(pipeline(d -> {}, late).handOut(delivery)).isEmpty();
    assertThat(delivery.outcomes).containsExactly("fail");
  }
}
