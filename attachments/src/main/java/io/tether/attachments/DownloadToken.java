package io.tether.attachments;

import io.tether.attachments.signing.Jws;
import io.tether.contract.attachment.AttachmentWire;

/**
 * The token in a Tether download URL ({@code <public-url>/v1/downloads/<token>}): which stored body, and what the
 * device endpoint needs to serve it without a lookup (its size and digest for ranges and the ETag). Signed, so the
 * URL needs no authentication challenge: a background {@code URLSession} cannot answer one.
 *
 * @param expiresAt epoch millis; the message's expiry, after which the body is deleted anyway
 */
public record DownloadToken(String attachmentId, long size, String sha256, String contentType, long expiresAt) {

    public String sign(Jws jws) {
        return jws.sign(AttachmentWire.DOWNLOAD_TOKEN_TYPE, this);
    }

    public static DownloadToken verify(Jws jws, String token, long nowMillis) throws Jws.Refused {
        DownloadToken claims = jws.verify(token, AttachmentWire.DOWNLOAD_TOKEN_TYPE, DownloadToken.class,
                DownloadToken::expiresAt, nowMillis);
        if (!AttachmentWire.isValidId(claims.attachmentId()) || claims.size() < 0 || claims.sha256() == null) {
            throw new Jws.Refused(Jws.Failure.MALFORMED);
        }
        return claims;
    }
}
