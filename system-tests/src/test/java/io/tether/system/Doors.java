package io.tether.system;

import static io.restassured.RestAssured.given;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.tether.testkit.ServiceProcess;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Real MQTT 5 clients for the ITs of the gateway's doors: from a chosen local address (all of 127.0.0.0/8 is this host,
 * and the gateway counts failures per source address), with the reason code of a refusal; and the services' metrics.
 */
final class Doors {
    private Doors() {
    }

    /** A client of {@code clientId} for the gateway on {@code port}, connecting from {@code localAddress}. */
    static Mqtt5ClientBuilder mqtt5(String clientId, int port, String localAddress) {
        return MqttClient.builder().useMqttVersion5().identifier(clientId)
                .transportConfig().serverHost("127.0.0.1").serverPort(port).localAddress(localAddress).applyTransportConfig();
    }

    /** Connects with a user name and password; the CONNACK's reason code (SUCCESS when connected). */
    static Mqtt5ConnAckReasonCode connect(Mqtt5AsyncClient client, String username, String password) {
        try {
            return client.connectWith().simpleAuth().username(username).password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                    .send().orTimeout(10, TimeUnit.SECONDS).join().getReasonCode();
        } catch (CompletionException e) {
            if (e.getCause() instanceof Mqtt5ConnAckException refused) {
                return refused.getMqttMessage().getReasonCode();
            }
            throw e;
        }
    }

    /** The reason of a DISCONNECT the server sent, or null when the connection just closed. */
    static Mqtt5DisconnectReasonCode disconnectReason(Throwable cause) {
        return cause instanceof Mqtt5DisconnectException disconnect ? disconnect.getMqttMessage().getReasonCode() : null;
    }

    /** The sum of a Prometheus counter over the series that carry every given label ({@code key="value"}). */
    static double metric(ServiceProcess service, String name, String... labels) {
        String scrape = given().baseUri(service.baseUrl()).get("/q/metrics").then().statusCode(200).extract().asString();
        double sum = 0;
        for (String line : scrape.split("\n")) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            boolean all = true;
            for (String label : labels) {
                all &= line.contains(label);
            }
            if (all) {
                // A counter's sample may end in an exemplar ("... 22.0 # {trace_id=\"…\"} 1.0 1796406966.336"): the value precedes it.
                int exemplar = line.indexOf(" # ");
                String sample = exemplar < 0 ? line : line.substring(0, exemplar);
                sum += Double.parseDouble(sample.substring(sample.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
