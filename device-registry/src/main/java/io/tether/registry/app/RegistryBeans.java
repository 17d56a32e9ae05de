package io.tether.registry.app;

import io.lettuce.core.api.StatefulRedisConnection;
import io.tether.registry.device.DeviceSecrets;
import io.tether.registry.device.DeviceService;
import io.tether.registry.device.DeviceStore;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Wires the plain core; the only place that knows it runs in CDI. */
public class RegistryBeans {

    @Produces
    @Singleton
    DeviceStore deviceStore(StatefulRedisConnection<String, String> connection) {
        return new DeviceStore(connection.async());
    }

    @Produces
    @Singleton
    DeviceService deviceService(DeviceStore store) {
        return new DeviceService(store, new DeviceSecrets(), Clock.systemUTC());
    }
}
