package io.tether.gateway.drain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DrainNoticeTest {

    @Test
    void withoutAServerReferenceDevicesAreToldTheServerIsShuttingDown() {
        DrainNotice notice = new DrainNotice(Optional.empty());
        assertEquals(MqttDisconnectReasonCode.SERVER_SHUTTING_DOWN, notice.disconnectCode());
        assertEquals(0x8B, notice.disconnectCode().value() & 0xff);
        assertNull(notice.disconnectProperties().getProperty(MqttPropertyType.SERVER_REFERENCE.value()));
        assertEquals(DrainNotice.REASON, notice.disconnectProperties().getProperty(MqttPropertyType.REASON_STRING.value()).value());
        assertEquals(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5, notice.refusal(true));
    }

    @Test
    void withAServerReferenceDevicesAreToldToUseAnotherServerAndWhere() {
        DrainNotice notice = new DrainNotice(Optional.of(" mqtt-b.example.com:8883 "));
        assertEquals(MqttDisconnectReasonCode.USE_ANOTHER_SERVER, notice.disconnectCode());
        assertEquals(0x9C, notice.disconnectCode().value() & 0xff);
        MqttProperties.MqttProperty<?> reference = notice.disconnectProperties().getProperty(MqttPropertyType.SERVER_REFERENCE.value());
        assertEquals("mqtt-b.example.com:8883", reference.value());
        assertEquals(MqttConnectReturnCode.CONNECTION_REFUSED_USE_ANOTHER_SERVER, notice.refusal(true));
        assertEquals("mqtt-b.example.com:8883",
                notice.refusalProperties(true).getProperty(MqttPropertyType.SERVER_REFERENCE.value()).value());
    }

    @Test
    void mqtt311HasNoReasonCodesOrPropertiesSoNewConnectionsGetServerUnavailable() {
        DrainNotice notice = new DrainNotice(Optional.of("elsewhere:1883"));
        assertEquals(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE, notice.refusal(false));
        assertNull(notice.refusalProperties(false).getProperty(MqttPropertyType.SERVER_REFERENCE.value()));
    }

    @Test
    void aBlankServerReferenceCountsAsNone() {
        assertEquals(MqttDisconnectReasonCode.SERVER_SHUTTING_DOWN, new DrainNotice(Optional.of("  ")).disconnectCode());
    }
}
