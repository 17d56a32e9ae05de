package io.tether.contract.attachment;

import java.util.Objects;

/**
 * What a device is told about a large body it should download: the signed claims of a descriptor (the payload of
 * its JWS, see {@link AttachmentWire#DESCRIPTOR_TYPE}). A device downloads {@code url} (no authentication
 * challenge: the URL itself is the short-lived permission), then accepts the file only when the JWS verifies against
 * Tether's published keys, {@code messageId} is the message it came with, and the file has {@code size} bytes whose
 * SHA-256 is {@code sha256}.
 *
 * @param messageId   the message the attachment belongs to
 * @param url         HTTPS URL by DNS name: Tether's signed download URL, or the backend's own (e.g. its CDN)
 * @param size        bytes
 * @param sha256      SHA-256 of the body, 64 lowercase hex digits
 * @param contentType MIME type of the body
 * @param name        a file name the backend suggested, or null
 * @param expiresAt   epoch millis after which {@code url} is no longer served (the message's expiry)
 */
public record DownloadDescriptor(String messageId, String url, long size, String sha256, String contentType, String name,
        long expiresAt) {

    public DownloadDescriptor {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(contentType, "contentType");
    }
}
