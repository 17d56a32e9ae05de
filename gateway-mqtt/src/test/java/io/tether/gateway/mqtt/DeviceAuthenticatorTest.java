package io.tether.gateway.mqtt;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.tether.contract.DeviceFields;
import io.tether.contract.RedisKeys;
import io.tether.gateway.store.GatewayStore;
import io.tether.testkit.RedisServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** MQTT credentials against the registry's device record in a real redis-server, through the real {@link GatewayStore}. */
class DeviceAuthenticatorTest {
    private static final String ID = "dev-auth";
    private static final String PASSWORD = "s3cr3t-Ünïcode-password";

    @TempDir
    static Path dir;

    private static RedisServer server;
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> connection;
    private static DeviceAuthenticator authenticator;

    @BeforeAll
    static void start() {
        server = RedisServer.start(dir, false);
        client = RedisClient.create(server.uri());
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(5)))
                .build());
        connection = client.connect();
        // no cache here: every check reads the record (the cache has tests of its own below)
        authenticator = new DeviceAuthenticator(new io.tether.gateway.store.RedisGatewayStore(connection.async()), Duration.ZERO);
    }

    @AfterAll
    static void stop() {
        connection.close();
        client.shutdown();
        server.close();
    }

    @BeforeEach
    void registerDevice() throws Exception {
        connection.sync().flushall();
        // as device-registry stores it: hex SHA-256 of the UTF-8 password, never the password
        connection.sync().hset(RedisKeys.device(ID).record(), Map.of(
                DeviceFields.ID, ID,
                DeviceFields.PLATFORM, "ios",
                DeviceFields.SECRET_HASH, HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(PASSWORD.getBytes(StandardCharsets.UTF_8)))));
    }

    @Test
    void theRightPasswordWithTheDeviceIdAsUsernameIsAccepted() {
        assertTrue(join(authenticator.authenticate(ID, ID, PASSWORD)));
    }

    @ParameterizedTest
    @NullAndEmptySource
    void theUsernameMayBeLeftOut(String username) {
        assertTrue(join(authenticator.authenticate(ID, username, PASSWORD)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"wrong", "s3cr3t-Ünïcode-passwor", "s3cr3t-Ünïcode-password ", "S3CR3T-ÜNÏCODE-PASSWORD", ""})
    void anyOtherPasswordIsRefused(String password) {
        assertFalse(join(authenticator.authenticate(ID, ID, password)));
    }

    @Test
    void aMissingPasswordIsRefused() {
        assertFalse(join(authenticator.authenticate(ID, ID, null)));
        assertFalse(join(authenticator.authenticate(ID, null, null)));
    }

    @Test
    void theRightPasswordUnderAnotherUsernameIsRefused() {
        assertFalse(join(authenticator.authenticate(ID, "dev-other", PASSWORD)));
        assertFalse(join(authenticator.authenticate(ID, "DEV-AUTH", PASSWORD)));
    }

    @Test
    void aDevicesPasswordDoesNotAuthenticateAnotherClientId() {
        assertFalse(join(authenticator.authenticate("dev-other", "dev-other", PASSWORD)));
        assertFalse(join(authenticator.authenticate("dev-other", null, PASSWORD)));
    }

    @Test
    void aDeviceWhoseRecordHasNoSecretIsRefused() {
        connection.sync().hdel(RedisKeys.device(ID).record(), DeviceFields.SECRET_HASH);

        assertFalse(join(authenticator.authenticate(ID, ID, PASSWORD)));
    }

    @Test
    void aDeletedDeviceIsRefused() {
        connection.sync().del(RedisKeys.device(ID).record());

        assertFalse(join(authenticator.authenticate(ID, ID, PASSWORD)));
    }

    @Test
    void theStoredHashItselfIsNotAPassword() {
        String hash = connection.sync().hget(RedisKeys.device(ID).record(), DeviceFields.SECRET_HASH);

        assertFalse(join(authenticator.authenticate(ID, ID, hash)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/b", "dev+", "dev#", "{d:dev-auth}", "dev auth"})
    void clientIdsThatAreNoValidDeviceIdAreRefusedWithoutALookup(String clientId) {
        // RedisKeys would refuse these ids: a completed false proves no key was built
        assertFalse(join(authenticator.authenticate(clientId, clientId, PASSWORD)));
    }

    @Test
    void aNullClientIdIsRefused() {
        assertFalse(join(authenticator.authenticate(null, null, PASSWORD)));
    }

    @Test
    void theHashIsLowercaseHexSha256OfTheUtf8Password() {
        // the format device-registry writes (DeviceSecrets); a mismatch would refuse every device
        assertEquals("5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8", DeviceAuthenticator.sha256Hex("password"));
    }

    // ---- the verified-credential cache ---------------------------------------------------------------------

    @Test
    void aVerifiedPasswordIsAcceptedFromTheCacheWithoutReadingRedisAgain() {
        DeviceAuthenticator cached = cachingFor(Duration.ofMinutes(5));
        assertTrue(join(cached.authenticate(ID, ID, PASSWORD)));

        // the record is gone, but within the cache TTL a reconnect is not a Redis read
        connection.sync().del(RedisKeys.device(ID).record());

        assertTrue(join(cached.authenticate(ID, ID, PASSWORD)));
    }

    @Test
    void theCacheNeverAcceptsAnotherPasswordOrAnotherUsername() {
        DeviceAuthenticator cached = cachingFor(Duration.ofMinutes(5));
        assertTrue(join(cached.authenticate(ID, ID, PASSWORD)));

        assertFalse(join(cached.authenticate(ID, ID, "wrong")));
        assertFalse(join(cached.authenticate(ID, "dev-other", PASSWORD)));
        assertFalse(join(cached.authenticate(ID, ID, null)));
    }

    @Test
    void aRefusedPasswordIsNotCachedSoANewlyIssuedOneWorksAtOnce() {
        DeviceAuthenticator cached = cachingFor(Duration.ofMinutes(5));
        connection.sync().hset(RedisKeys.device(ID).record(), DeviceFields.SECRET_HASH, DeviceAuthenticator.sha256Hex("old"));
        assertFalse(join(cached.authenticate(ID, ID, PASSWORD)));

        connection.sync().hset(RedisKeys.device(ID).record(), DeviceFields.SECRET_HASH, DeviceAuthenticator.sha256Hex(PASSWORD));

        assertTrue(join(cached.authenticate(ID, ID, PASSWORD)));
    }

    @Test
    void forgettingADeviceMakesTheNextConnectCheckRedisAgain() {
        DeviceAuthenticator cached = cachingFor(Duration.ofMinutes(5));
        assertTrue(join(cached.authenticate(ID, ID, PASSWORD)));
        // rotated: the registry stored a new secret and announced the change
        connection.sync().hset(RedisKeys.device(ID).record(), DeviceFields.SECRET_HASH, DeviceAuthenticator.sha256Hex("rotated"));

        cached.forget(ID);

        assertFalse(join(cached.authenticate(ID, ID, PASSWORD)));
        assertTrue(join(cached.authenticate(ID, ID, "rotated")));
    }

    @Test
    void aCachedVerificationLapsesAfterItsTtl() {
        DeviceAuthenticator cached = cachingFor(Duration.ofMillis(200));
        assertTrue(join(cached.authenticate(ID, ID, PASSWORD)));
        connection.sync().del(RedisKeys.device(ID).record());

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> !join(cached.authenticate(ID, ID, PASSWORD)));
    }

    @Test
    void forgettingOneDeviceKeepsTheOthersCached() {
        DeviceAuthenticator cached = cachingFor(Duration.ofMinutes(5));
        String other = "dev-other";
        connection.sync().hset(RedisKeys.device(other).record(), DeviceFields.SECRET_HASH, DeviceAuthenticator.sha256Hex("pw2"));
        assertTrue(join(cached.authenticate(ID, ID, PASSWORD)));
        assertTrue(join(cached.authenticate(other, other, "pw2")));
        connection.sync().flushall();

        cached.forget(other);

        assertTrue(join(cached.authenticate(ID, ID, PASSWORD)));
        assertFalse(join(cached.authenticate(other, other, "pw2")));
    }

    private static DeviceAuthenticator cachingFor(Duration ttl) {
        return new DeviceAuthenticator(new io.tether.gateway.store.RedisGatewayStore(connection.async()), ttl);
    }

    private static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("did not complete: " + e, e);
        }
    }
}
