package io.tether.contract;

/**
 * A device's standard APNs token as fanout read it from the registry's record while routing, carried in a
 * {@link PushRequest} so that push-service need not read it again. push-service trusts it only while it is fresh
 * ({@code readAt}) and reads the registry when APNs calls the token dead, since the app may have registered a new one
 * meanwhile.
 *
 * @param token          lowercase hex, as registered
 * @param environment    the registry's wire name of the APNs environment (sandbox, production); null when not set
 * @param appId          the bundle id the device's app was registered with; null when not set
 * @param platform       the registry's wire name (ios, ipados, macos, tvos, watchos); null when not set
 * @param tokenUpdatedAt epoch millis the token was set; 0 when unknown
 * @param readAt         epoch millis (fanout's clock) when fanout read the record
 */
public record PushRecipient(String token, String environment, String appId, String platform, long tokenUpdatedAt,
        long readAt) {
}
