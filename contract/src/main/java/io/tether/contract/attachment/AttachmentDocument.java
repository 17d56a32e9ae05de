package io.tether.contract.attachment;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The payload of a message that carries an attachment, as every route delivers it (MQTT, push, HTTPS fetch), with
 * content type {@link AttachmentWire#DOCUMENT_CONTENT_TYPE}: the signed descriptor and whatever small payload the
 * backend sent along.
 *
 * @param attachment    the descriptor: a compact JWS whose payload is a {@link DownloadDescriptor}
 * @param payload       the backend's payload as it gave it (text or any JSON value), or null
 * @param payloadBase64 the backend's binary payload, base64, or null
 * @param contentType   the content type the backend gave its payload, or null
 */
public record AttachmentDocument(String attachment, JsonNode payload, String payloadBase64, String contentType) {
}
