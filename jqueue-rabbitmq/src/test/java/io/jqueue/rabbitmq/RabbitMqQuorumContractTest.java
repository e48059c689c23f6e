package io.jqueue.rabbitmq;

import io.jqueue.Broker;
import io.jqueue.testkit.BrokerContract;
import org.junit.jupiter.api.DisplayName;

@DisplayName("the RabbitMQ broker with quorum queues passes the broker contract")
class RabbitMqQuorumContractTest extends BrokerContract {

  @Override
  protected Broker createBroker() {
    return RabbitMqBroker.connect(
        RabbitMqTestSupport.config().queueType(RabbitMqConfig.QueueType.QUORUM).build());
  }
}
