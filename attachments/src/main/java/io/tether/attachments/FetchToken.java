package io.tether.attachments;

import io.tether.attachments.signing.Jws;
import io.tether.contract.DeviceId;
import io.tether.contract.attachment.AttachmentWire;

/**
 * A short-lived permission for one device to read and acknowledge its own pending messages over HTTPS, sent in the
 * pushes that do not carry the whole message, so a Notification Service Extension can fetch with one request
 * ({@code Authorization: Bearer <token>}) without the device's password.
 *
 * @param expiresAt epoch millis
 */
public record FetchToken(String deviceId, long expiresAt) {

    public String sign(Jws jws) {
        return jws.sign(AttachmentWire.FETCH_TOKEN_TYPE, this);
    }

    public static FetchToken verify(Jws jws, String token, long nowMillis) throws Jws.Refused {
        FetchToken claims = jws.verify(token, AttachmentWire.FETCH_TOKEN_TYPE, FetchToken.class, FetchToken::expiresAt, nowMillis);
        if (!DeviceId.isValid(claims.deviceId())) {
            throw new Jws.Refused(Jws.Failure.MALFORMED);
        }
        return claims;
    }
}
