package io.tether.gateway.app;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.gateway.config.MqttConfig;
import io.tether.gateway.guard.ConnectGuard;
import io.tether.runtime.limit.FailureLog;
import io.tether.runtime.limit.FailurePolicy;
import java.time.Duration;

/** The connect guard {@code tether.mqtt.limits.connect-failures} asks for. */
final class GuardSettings {
    private GuardSettings() {
    }

    /** Null when failed CONNECTs are not limited. */
    static ConnectGuard connectGuard(MqttConfig.ConnectFailures config, RedisAsyncCommands<String, String> redis,
            ConnectGuard.GuardListener listener) {
        if (!config.enabled()) {
            return null;
        }
        FailurePolicy perAddress = new FailurePolicy(config.freePerAddress(), config.firstWait(), config.maxWait(), config.banAfter(),
                config.ban(), config.window());
        // A client id is never banned: that would let anyone lock a device out by failing in its name.
        FailurePolicy perClientId = new FailurePolicy(config.freePerClientId(), config.firstWait(), config.maxWait(), 0, Duration.ZERO,
                config.window());
        return new ConnectGuard(new FailureLog(redis, System::currentTimeMillis), redis, perAddress, perClientId, listener);
    }
}
