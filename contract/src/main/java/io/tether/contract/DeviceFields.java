package io.tether.contract;

/** Fields of the registry's device hash ({@link RedisKeys.Device#record()}). */
public final class DeviceFields {
    public static final String ID = "id";
    public static final String PLATFORM = "platform";
    public static final String APP_ID = "appId";
    public static final String USER_ID = "userId";
    /**
     * The standard APNs token (alert, background, …). VoIP, push-to-start and Live Activity tokens are in
     * {@link RedisKeys.Device#pushTokens()}, not here (see {@link PushTokenSlot}).
     */
    public static final String PUSH_TOKEN = "pushToken";
    /** sandbox or production: which APNs environment issued the token. */
    public static final String PUSH_ENVIRONMENT = "pushEnvironment";
    /** Epoch millis when the push token was last set; APNs' token-invalidation timestamp is compared with it. */
    public static final String PUSH_TOKEN_UPDATED_AT = "pushTokenUpdatedAt";
    /** Hex SHA-256 of the MQTT password; the password itself is never stored. */
    public static final String SECRET_HASH = "secretHash";
    /**
     * Counter the registry raises at every rotation and revocation of the device's credentials; a gateway closes a
     * connection authenticated under an older value. Absent: 0.
     */
    public static final String CREDENTIAL_VERSION = "credentialVersion";
    /** "1" while the credentials are revoked: no password and no client certificate authenticates the device. */
    public static final String CREDENTIALS_REVOKED = "credentialsRevoked";
    public static final String CREATED_AT = "createdAt";
    public static final String UPDATED_AT = "updatedAt";

    private DeviceFields() {
    }
}
