package io.tether.push.app;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tether.contract.Receipt;
import io.tether.testkit.TetherInfraResource;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** How the local runner and the system tests start it today: no APNs app configured. */
@QuarkusTest
@QuarkusTestResource(value = TetherInfraResource.class, restrictToAnnotatedClass = true)
class PushServiceWithoutAppsIT {
    @ConfigProperty(name = "tether.kafka.bootstrap-servers")
    String bootstrap;

    @ConfigProperty(name = "tether.redis.uri")
    String redisUri;


    @Test
    void startsReadyAndFailsEveryPushAsAppNotConfigured() {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(200).body("status", equalTo("UP")));
        try (ServiceHarness harness = new ServiceHarness(bootstrap, redisUri)) {
            String device = harness.device("ios", "com.example.unconfigured", "ab".repeat(32));

            Receipt receipt = harness.push(device, "{\"alert\":\"hi\"}");

            assertEquals(Receipt.Outcome.PUSH_FAILED, receipt.outcome());
            assertEquals("app-not-configured", receipt.reason());
        }
    }
}
