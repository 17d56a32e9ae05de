package io.tether.registry.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tether.contract.DeviceFields;
import io.tether.contract.Platform;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceHashTest {
    private static final Instant CREATED = Instant.ofEpochMilli(1_700_000_000_123L);
    private static final Instant TOKEN_SET = Instant.ofEpochMilli(1_700_000_000_456L);

    @Test
    void storesTheContractFieldsAsStrings() {
        Device device = new Device("dev1", Platform.WATCHOS, "com.example.app", "user@example", "ab".repeat(32),
                PushEnvironment.SANDBOX, TOKEN_SET, "f".repeat(64), CREATED, CREATED);
        Map<String, String> fields = DeviceHash.toFields(device);
        assertEquals("dev1", fields.get(DeviceFields.ID));
        assertEquals("watchos", fields.get(DeviceFields.PLATFORM));
        assertEquals("com.example.app", fields.get(DeviceFields.APP_ID));
        assertEquals("user@example", fields.get(DeviceFields.USER_ID));
        assertEquals("sandbox", fields.get(DeviceFields.PUSH_ENVIRONMENT));
        assertEquals("1700000000456", fields.get(DeviceFields.PUSH_TOKEN_UPDATED_AT));
        assertEquals("f".repeat(64), fields.get(DeviceFields.SECRET_HASH));
        assertEquals("1700000000123", fields.get(DeviceFields.CREATED_AT));
        assertEquals(device, DeviceHash.fromFields("dev1", fields));
    }

    @Test
    void absentValuesAreAbsentFields() {
        Device device = new Device("dev2", Platform.MACOS, "app", null, null, null, null, "0".repeat(64), CREATED, CREATED);
        Map<String, String> fields = DeviceHash.toFields(device);
        assertFalse(fields.containsKey(DeviceFields.USER_ID));
        assertFalse(fields.containsKey(DeviceFields.PUSH_TOKEN));
        assertFalse(fields.containsKey(DeviceFields.PUSH_ENVIRONMENT));
        assertFalse(fields.containsKey(DeviceFields.PUSH_TOKEN_UPDATED_AT));
        assertEquals(device, DeviceHash.fromFields("dev2", fields));
    }

    @Test
    void aCorruptRecordIsAnErrorThatDoesNotQuoteIt() {
        Map<String, String> fields = new HashMap<>(DeviceHash.toFields(
                new Device("dev3", Platform.IOS, "app", null, null, null, null, "0".repeat(64), CREATED, CREATED)));
        fields.put(DeviceFields.PLATFORM, "android");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> DeviceHash.fromFields("dev3", fields));
        assertEquals("device record dev3 is corrupt", e.getMessage());
    }
}
