package io.tether.push.app;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tether.push.testing.MockApns;
import io.tether.push.testing.TestKeys;
import io.tether.push.testing.TestTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Starts Pushy's mock APNs over TLS with a team key made for the run, and points the service at it with one
 * token-auth app configured as an operator would: {@code tether.apns.apps.demo.*} with a .p8 file.
 */
public class ApnsMockResource implements QuarkusTestResourceLifecycleManager {
    static final String BUNDLE_ID = "com.example.demo";
    /** The one device token the mock knows for {@link #BUNDLE_ID}. */
    static final String TOKEN = "5e".repeat(32);

    private MockApns apns;

    @Override
    public Map<String, String> start() {
        Path dir;
        try {
            Path target = Path.of("target");
            dir = Files.isDirectory(target) ? Files.createTempDirectory(target, "apns-mock-") : Files.createTempDirectory("apns-mock-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TestKeys.SigningKey key = TestKeys.signingKey(dir, "DEMOTEAM01", "DEMOKEY001");
        TestTls.Identity server = TestTls.server(dir);
        apns = MockApns.start(server, Map.of(key.verificationKey(), Set.of(BUNDLE_ID)), null);
        apns.register(BUNDLE_ID, TOKEN);
        return Map.of(
                "tether.apns.server-host", "127.0.0.1",
                "tether.apns.server-port", Integer.toString(apns.port()),
                "tether.apns.trusted-server-certificate", server.pem().toString(),
                "tether.apns.apps.demo.bundle-id", BUNDLE_ID,
                "tether.apns.apps.demo.team-id", key.teamId(),
                "tether.apns.apps.demo.key-id", key.keyId(),
                "tether.apns.apps.demo.signing-key", key.file().toString());
    }

    @Override
    public void stop() {
        if (apns != null) {
            apns.close();
        }
    }
}
