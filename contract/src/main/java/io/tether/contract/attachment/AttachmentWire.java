package io.tether.contract.attachment;

/** Names on the wire for attachments, download descriptors and device fetches. */
public final class AttachmentWire {
    /** Content type of a message payload that is an {@link AttachmentDocument}. */
    public static final String DOCUMENT_CONTENT_TYPE = "application/vnd.tether.attachment+json";
    /** JOSE {@code typ} of a download descriptor (payload: {@link DownloadDescriptor}). */
    public static final String DESCRIPTOR_TYPE = "tether-descriptor+jws";
    /** JOSE {@code typ} of the token in a Tether download URL. */
    public static final String DOWNLOAD_TOKEN_TYPE = "tether-download+jws";
    /** JOSE {@code typ} of a device fetch token (sent in pushes, presented as a bearer token). */
    public static final String FETCH_TOKEN_TYPE = "tether-fetch+jws";
    /** The only signature algorithm: ECDSA P-256 with SHA-256 (CryptoKit's {@code P256.Signing}). */
    public static final String ALGORITHM = "ES256";
    /** Where the device endpoint publishes the public keys (a JWKS). */
    public static final String JWKS_PATH = "/.well-known/jwks.json";
    /** Path prefix of download URLs on the device endpoint; the token follows. */
    public static final String DOWNLOADS_PATH = "/v1/downloads/";
    /** Key of the push payload's {@code tether} object that holds the fetch token. */
    public static final String PUSH_FETCH_TOKEN = "fetchToken";
    /** Key of the push payload's {@code tether} object that holds the descriptor. */
    public static final String PUSH_ATTACHMENT = "attachment";
    /** Prefix of attachment ids ({@code att_} and 26 base32 characters). */
    public static final String ID_PREFIX = "att_";

    private AttachmentWire() {
    }

    /** A new attachment id: {@code att_} and 130 random bits. */
    public static String randomId() {
        return ID_PREFIX + io.tether.contract.DeviceId.random();
    }

    /** Whether {@code id} looks like an attachment id (so it can be used as a Redis key and an object key). */
    public static boolean isValidId(String id) {
        return id != null && id.matches(ID_PREFIX + "[a-z2-7]{26}");
    }
}
