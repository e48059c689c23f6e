package io.jqueue.testkit;

import io.jqueue.Broker;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;

/**
 * The contract every jqueue broker passes: the rules of SPEC §4 (and the §2/§3/§9 rules that apply
 * to queues, the byte-level middlewares of §3 included) and request-reply (§6), grouped by section.
 * A broker module runs it with one short subclass:
 *
 * <pre>{@code
 * class EmbeddedBrokerContractTest extends BrokerContract {
 *   @Override
 *   protected Broker createBroker() {
 *     return EmbeddedBroker.create(...);
 *   }
 * }
 * }</pre>
 *
 * <p>Each test gets a new broker and unique queue names, deletes what it declared and closes the
 * broker. A test of an optional {@link io.jqueue.Capability} the broker lacks is skipped with the
 * capability named.
 */
public abstract class BrokerContract {

  /** Creates a new broker for one test; the suite closes it. */
  protected abstract Broker createBroker();

  @Nested
  @DisplayName("declaring queues")
  class Declaring extends DeclareContract {
    @Override
    protected Broker newBroker() {
      return createBroker();
    }
  }

  @Nested
  @DisplayName("publishing")
  class Publishing extends PublishContract {
    @Override
    protected Broker newBroker() {
      return createBroker();
    }
  }

  @Nested
  @DisplayName("limits and hostile input")
  class Limits extends LimitsContract {
    @Override
    protected Broker newBroker() {
      return createBroker();
    }
  }

  @Nested
  @DisplayName("consuming")
  class Consuming extends ConsumeContract {
    @Override
    protected Broker newBroker() {
      return createBroker();
    }
  }

  @Nested
  @DisplayName("leases")
  class Leases extends LeaseContract {
    @Override
    protected Broker newBroker() {
      return createBroker();
    }
  }

  @Nested
  @DisplayName("retries")
  class Retries extends RetryContract {
    @Override
    protected Broker newBroker() {
      return createBroker();
    }
  }

  @Nested
  @DisplayName("dead-letter queues")
  class DeadLettering extends DeadLetterContract {
    @Override
    protected Broker newBroker() {
      return createBroker();
    }
  }

  @Nested
  @DisplayName("time to live")
  class TimeToLive extends TtlContract {
    @Override
    protected Broker newBroker() {
      return createBroker();
    }
  }

  @Nested
  @DisplayName("ordered queues")
  class Ordered extends OrderedContract {
    @Override
    protected Broker newBroker() {
      return createBroker();
    }
  }

  @Nested
  @DisplayName("priority queues")
  class Priorities extends PriorityContract {
    @Override
    protected Broker newBroker() {
      return createBroker();
    }
  }

  @Nested
  @DisplayName("pulling")
  class Pulling extends PullContract {
    @Override
    protected Broker newBroker() {
      return createBroker();
    }
  }

  @Nested
  @DisplayName("compression and encryption middlewares")
  class ByteMiddlewares extends MiddlewareContract {
    @Override
    protected Broker newBroker() {
      return createBroker();
    }
  }

  @Nested
  @DisplayName("topics and subscriptions")
  class Topics extends TopicContract {
    @Override
    protected Broker newBroker() {
      return createBroker();
    }
  }

  @Nested
  @DisplayName("request-reply")
  class RequestReply extends RequestReplyContract {
    @Override
    protected Broker newBroker() {
      return createBroker();
    }
  }

  @Nested
  @DisplayName("statistics")
  class Statistics extends StatsContract {
    @Override
    protected Broker newBroker() {
      return createBroker();
    }
  }

  @Nested
  @DisplayName("health")
  class Healths extends HealthContract {
    @Override
    protected Broker newBroker() {
      return createBroker();
    }
  }

  @Nested
  @DisplayName("tracing")
  class Tracing extends TracingContract {
    @Override
    protected Broker newBroker() {
      return createBroker();
    }
  }

  @Nested
  @DisplayName("closing")
  class Closing extends CloseContract {
    @Override
    protected Broker newBroker() {
      return createBroker();
    }
  }
}
