package io.jqueue.rabbitmq;

import io.jqueue.Broker;
import io.jqueue.testkit.BrokerContract;
import org.junit.jupiter.api.DisplayName;

@DisplayName("the RabbitMQ broker passes the broker contract")
class RabbitMqBrokerContractTest extends BrokerContract {

  @Override
  protected Broker createBroker() {
    return RabbitMqBroker.connect(RabbitMqTestSupport.config().build());
  }
}
