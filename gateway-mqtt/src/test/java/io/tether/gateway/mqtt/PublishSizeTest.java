package io.tether.gateway.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import io.netty.buffer.Unpooled;
import io.opentelemetry.context.Context;
import io.tether.contract.MessageProperties;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The size PublishSize computes is the size Netty's MQTT encoder writes. */
class PublishSizeTest {

    private static int encoded(String topic, byte[] payload, int packetId, MqttProperties properties, MqttVersion version) {
        EmbeddedChannel channel = new EmbeddedChannel(MqttEncoder.INSTANCE);
        // the attribute Netty's MqttCodecUtil keeps the protocol version in, which the encoder reads
        channel.attr(AttributeKey.<MqttVersion>valueOf("NETTY_CODEC_MQTT_VERSION")).set(version);
        MqttPublishMessage message = new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, false, packetId == 0 ? MqttQoS.AT_MOST_ONCE : MqttQoS.AT_LEAST_ONCE, false, 0),
                new MqttPublishVariableHeader(topic, packetId, properties), Unpooled.wrappedBuffer(payload));
        channel.writeOutbound(message);
        int size = 0;
        ByteBuf out;
        while ((out = channel.readOutbound()) != null) {
            size += out.readableBytes();
            out.release();
        }
        channel.finish();
        return size;
    }

    @Test
    void aDeliveryWithEveryPropertyItCanCarryIsCountedToTheByte() {
        MqttProperties properties = MqttProps.delivery("msg_0123456789", "application/json; charset=utf-8", Context.root(),
                new MessageProperties(List.of(new MessageProperties.UserProperty("x-kind", "réponse"),
                        new MessageProperties.UserProperty("x-kind", "again")), "devices/dév/answers", new byte[300]), 86_400);
        byte[] payload = new byte[20_000];

        assertEquals(encoded("devices/dév/messages", payload, 17, properties, MqttVersion.MQTT_5),
                PublishSize.of("devices/dév/messages", payload.length, true, properties, true));
    }

    @Test
    void qos0AndMqtt311PacketsAreCountedWithoutWhatTheyLack() {
        byte[] payload = new byte[100];

        assertEquals(encoded("devices/d/messages", payload, 0, MqttProperties.NO_PROPERTIES, MqttVersion.MQTT_3_1_1),
                PublishSize.of("devices/d/messages", payload.length, false, MqttProperties.NO_PROPERTIES, false));
        assertEquals(encoded("t", new byte[0], 0, MqttProperties.NO_PROPERTIES, MqttVersion.MQTT_5),
                PublishSize.of("t", 0, false, MqttProperties.NO_PROPERTIES, true));
    }
}
