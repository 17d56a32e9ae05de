package io.tether.push.app;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tether.contract.Receipt;
import io.tether.testkit.TetherInfraResource;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The whole service as deployed: Quarkus config of one token-auth app, real Kafka and Redis, the mock APNs over TLS. */
@QuarkusTest
@QuarkusTestResource(value = TetherInfraResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = ApnsMockResource.class, restrictToAnnotatedClass = true)
class PushServiceIT {
    @ConfigProperty(name = "tether.kafka.bootstrap-servers")
    String bootstrap;

    @ConfigProperty(name = "tether.redis.uri")
    String redisUri;


    @Test
    void isReadyWhenConsumingAndRedisAnswers() {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'push' }.data.consumer", equalTo(true))
                .body("checks.find { it.name == 'redis' }.status", equalTo("UP")));
    }

    @Test
    void pushRequestOnKafkaEndsAsPushedReceiptAndMetrics() {
        try (ServiceHarness harness = new ServiceHarness(bootstrap, redisUri)) {
            String device = harness.device("ios", ApnsMockResource.BUNDLE_ID, ApnsMockResource.TOKEN);

            Receipt receipt = harness.push(device, "{\"alert\":\"Hello from Quarkus\"}");

            assertEquals(Receipt.Outcome.PUSHED, receipt.outcome());
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> given().get("/q/metrics").then()
                .statusCode(200)
                .body(containsString("tether_push_sent_total{app=\"" + ApnsMockResource.BUNDLE_ID
                        + "\",application=\"tether-push-service\",outcome=\"pushed\",push_type=\"alert\",reason=\"none\"}"))
                .body(containsString("tether_push_apns_latency_seconds_count{application=\"tether-push-service\",result=\"accepted\"}")));
    }
}
