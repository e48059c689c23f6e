package io.jqueue.embedded;

import io.jqueue.Broker;
import io.jqueue.testkit.BrokerContract;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;

@DisplayName("the embedded broker passes the broker contract")
class EmbeddedBrokerContractTest extends BrokerContract {

  @Override
  protected Broker createBroker() {
    return EmbeddedBroker.create(
        EmbeddedConfig.builder()
            .statsReportInterval(Duration.ZERO)
            .expirySweepInterval(Duration.ofMillis(20))
            .build());
  }
}
