package io.tether.fanout.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.lettuce.core.RedisClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tether.contract.DeviceFields;
import io.tether.contract.DeviceId;
import io.tether.contract.RedisKeys;
import io.tether.testkit.TetherInfraResource;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code POST /v1/messages} refuses every bad push option before accepting the message: 400
 * {@code application/problem+json} whose {@code errors[].field} names it. Good options are accepted (202).
 */
@QuarkusTest
@QuarkusTestResource(value = TetherInfraResource.class, restrictToAnnotatedClass = false)
class PushOptionsRestIT {

    @ConfigProperty(name = "tether.redis.uri")
    String redisUri;

    private String device;
    private String key;

    @BeforeEach
    void aDevice() {
        device = DeviceId.random();
        RedisClient client = RedisClient.create(redisUri);
        try {
            var redis = client.connect().sync();
            redis.hset(RedisKeys.device(device).record(), Map.of(DeviceFields.ID, device,
                    DeviceFields.PLATFORM, "ios", DeviceFields.APP_ID, "com.example.app"));
            key = "tk_" + java.util.UUID.randomUUID();
            redis.hset(RedisKeys.apiKey(io.tether.rest.auth.ApiKeyHash.sha256Hex(key)), Map.of(io.tether.contract.ApiKeyFields.ID,
                    "ak_push", io.tether.contract.ApiKeyFields.NAME, "push-" + key, io.tether.contract.ApiKeyFields.SCOPES, "messages:send",
                    io.tether.contract.ApiKeyFields.CREATED_AT, "1700000000000"));
        } finally {
            client.shutdown();
        }
    }

    private io.restassured.response.ValidatableResponse post(String to, String rest) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body("{\"to\": " + to + ", " + rest + "}").post("/v1/messages").then();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "\"payload\": \"x\", \"push\": {\"priority\": 7}                                | push.priority",
            "\"payload\": \"x\", \"push\": {\"priority\": 10, \"contentAvailable\": true}   | push.priority",
            "\"payload\": \"x\", \"push\": {\"pushType\": \"background\", \"alert\": \"Hi\"} | push.alert",
            "\"payload\": \"x\", \"push\": {\"sound\": {\"name\": \"a\", \"volume\": 3}}    | push.sound.volume",
            "\"payload\": \"x\", \"push\": {\"sound\": {\"critical\": true}}                | push.sound.name",
            "\"payload\": \"x\", \"push\": {\"interruptionLevel\": \"loud\"}                | push.interruptionLevel",
            "\"payload\": \"x\", \"push\": {\"relevanceScore\": 2}                          | push.relevanceScore",
            "\"payload\": \"x\", \"push\": {\"targetContentId\": 1}                         | push.targetContentId",
            "\"payload\": \"x\", \"push\": {\"threadId\": \"\"}                             | push.threadId",
            "\"payload\": \"x\", \"push\": {\"category\": false}                            | push.category",
            "\"payload\": \"x\", \"push\": {\"mutableContent\": \"yes\"}                    | push.mutableContent",
            "\"payload\": \"x\", \"push\": {\"aps\": []}                                    | push.aps",
            "\"payload\": \"x\", \"push\": {\"pushType\": \"telepathy\"}                    | push.pushType",
            "\"payload\": \"x\", \"push\": {\"pushType\": \"location\"}                     | push.pushType",
            "\"payload\": \"x\", \"push\": {\"alert\": \"hi\", \"colour\": \"red\"}          | push.colour",
            "\"payload\": \"x\", \"push\": {\"sound\": {\"name\": \"a\", \"citical\": true}}  | push.sound.citical",
            "\"payload\": \"x\", \"push\": {\"alert\": \"" + "%s" + "\"}                    | push",
            "\"push\": {\"liveActivity\": {\"event\": \"update\"}}                          | push.liveActivity.contentState",
            "\"push\": {\"liveActivity\": {\"event\": \"update\", \"contentState\": {}}}    | to.activity",
            "\"payload\": \"x\", \"push\": {\"liveActivity\": {\"event\": \"end\"}}        | payload",
            "\"push\": {\"liveActivity\": {\"event\": \"start\", \"contentState\": {}, \"attributes\": {}}, \"alert\": {\"title\": \"t\"}} | push.liveActivity.attributesType",
            "\"push\": {\"liveActivity\": {\"event\": \"end\", \"dismissalDate\": 1700000000000}} | push.liveActivity.dismissalDate"})
    void eachBadOptionIsRefusedNamingTheField(String rest, String field) {
        String body = rest.replace("%s", "y".repeat(4200));
        String to = body.contains("liveActivity") && !body.contains("\"payload\"") && field.equals("to.activity")
                ? "{\"device\": \"" + device + "\"}" : body.contains("liveActivity") ? "{\"device\": \"" + device + "\", \"activity\": \"A1\"}"
                : "{\"device\": \"" + device + "\"}";
        post(to, body).statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:tether:problem:validation"))
                .body("errors.field", hasItem(field));
    }

    @Test
    void goodOptionsOfEveryKindAreAccepted() {
        post("{\"device\": \"" + device + "\"}", "\"payload\": \"call\", \"push\": {\"pushType\": \"voip\"}").statusCode(202);
        post("{\"device\": \"" + device + "\"}", "\"payload\": \"x\", \"push\": {\"alert\": {\"title\": \"Smoke\"}, "
                + "\"sound\": {\"name\": \"alarm.caf\", \"critical\": true, \"volume\": 0.8}, \"interruptionLevel\": \"critical\", "
                + "\"priority\": 10, \"threadId\": \"t\", \"category\": \"c\", \"relevanceScore\": 0.3, \"targetContentId\": \"r\", "
                + "\"mutableContent\": true, \"aps\": {\"filter-criteria\": \"work\"}}").statusCode(202);
        post("{\"device\": \"" + device + "\", \"activity\": \"A1\"}", "\"push\": {\"liveActivity\": {\"event\": \"update\", "
                + "\"contentState\": {\"eta\": 3}}}").statusCode(202);
        post("{\"device\": \"" + device + "\"}", "\"push\": {\"liveActivity\": {\"event\": \"start\", \"contentState\": {}, "
                + "\"attributesType\": \"DeliveryAttributes\", \"attributes\": {}}, \"alert\": {\"title\": \"t\", \"body\": \"b\"}}")
                .statusCode(202);
    }

    @Test
    void aVoipCallWhoseDataDoesNotFitItsPushIs400NotAccepted() {
        String data = "\"payload\": \"" + "v".repeat(5200) + "\", ";
        post("{\"device\": \"" + device + "\"}", data + "\"push\": {\"pushType\": \"voip\"}").statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("payload"));
        post("{\"device\": \"" + device + "\"}", data + "\"push\": {\"alert\": \"hi\"}").statusCode(202);
    }

    @Test
    void anActivityNeedsOneDevice() {
        post("{\"user\": \"alice\", \"activity\": \"A1\"}", "\"push\": {\"liveActivity\": {\"event\": \"end\"}}").statusCode(400)
                .body("errors.field", hasItem("to.activity"));
    }
}
