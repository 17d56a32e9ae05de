package io.tether.fanout.attachments;

import io.tether.attachments.Descriptors;
import io.tether.attachments.DownloadToken;
import io.tether.attachments.signing.Jws;
import io.tether.contract.Json;
import io.tether.contract.attachment.AttachmentDocument;
import io.tether.contract.attachment.AttachmentWire;
import io.tether.contract.attachment.DownloadDescriptor;
import io.tether.fanout.intake.OutgoingMessage;
import io.tether.fanout.rest.SendMessageRequest;
import io.tether.contract.problem.Problem;
import io.tether.rest.problem.ProblemException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Turns a message with an attachment into what every route delivers: an {@link AttachmentDocument} holding the
 * descriptor Tether signed at acceptance (valid until the message expires, as is its download URL) and the backend's
 * own small payload. Uploaded bodies are kept at least until the message expires.
 */
public final class MessageAttachments {
    private static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

    private final Optional<Jws> jws;
    private final Optional<String> publicUrl;
    private final AttachmentRecords records;

    public MessageAttachments(Optional<Jws> jws, Optional<String> publicUrl, AttachmentRecords records) {
        this.jws = jws;
        this.publicUrl = publicUrl.map(url -> url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        this.records = records;
    }

    /**
     * {@code message} with its payload replaced by the attachment document. An uploaded body a key of {@code senderApps}
     * may not send (another team's, see {@link AttachmentRecords.Record#usableBy}) is answered as an unknown id (400).
     */
    public CompletionStage<OutgoingMessage> attach(OutgoingMessage message, SendMessageRequest request,
            java.util.Set<String> senderApps) {
        SendMessageRequest.Attachment attachment = request.attachment();
        if (jws.isEmpty()) {
            throw unavailable("attachments are not enabled on this server (no tether.attachments.signing-keys-dir)");
        }
        CompletionStage<DownloadDescriptor> descriptor = attachment.id() != null
                ? uploaded(message, attachment, senderApps)
                : CompletableFuture.completedFuture(new DownloadDescriptor(message.messageId(), attachment.url(), attachment.size(),
                        attachment.sha256().toLowerCase(Locale.ROOT),
                        attachment.contentType() == null ? DEFAULT_CONTENT_TYPE : attachment.contentType(), attachment.name(),
                        message.expiresAt()));
        return descriptor.thenApply(d -> {
            AttachmentDocument document = new AttachmentDocument(Descriptors.sign(jws.get(), d), request.payload(),
                    request.payloadBase64(), request.payload() == null && request.payloadBase64() == null ? null : message.contentType());
            return message.withPayload(Json.toBytes(document), AttachmentWire.DOCUMENT_CONTENT_TYPE);
        });
    }

    private CompletionStage<DownloadDescriptor> uploaded(OutgoingMessage message, SendMessageRequest.Attachment attachment,
            java.util.Set<String> senderApps) {
        if (publicUrl.isEmpty()) {
            throw unavailable("uploaded attachments need tether.attachments.public-url (the device endpoint's address)");
        }
        return records.read(attachment.id()).thenCompose(found -> {
            AttachmentRecords.Record record = found.filter(r -> r.usableBy(senderApps)).orElseThrow(() -> unknown(attachment.id()));
            String token = new DownloadToken(record.id(), record.size(), record.sha256(), record.contentType(), message.expiresAt())
                    .sign(jws.get());
            DownloadDescriptor descriptor = new DownloadDescriptor(message.messageId(), publicUrl.get() + AttachmentWire.DOWNLOADS_PATH + token,
                    record.size(), record.sha256(), record.contentType(), attachment.name() != null ? attachment.name() : record.name(),
                    message.expiresAt());
            return records.keepUntil(record.id(), message.expiresAt()).thenApply(kept -> {
                if (!kept) {
                    throw unknown(attachment.id());
                }
                return descriptor;
            });
        });
    }

    private static ProblemException unknown(String id) {
        return new ProblemException(io.tether.contract.problem.ProblemType.VALIDATION, 400, "the attachment is unknown or expired",
                List.of(new Problem.FieldError("attachment.id", "no uploaded body " + id + " (it may have expired)")));
    }

    private static ProblemException unavailable(String detail) {
        return new ProblemException(io.tether.contract.problem.ProblemType.VALIDATION, 400, detail,
                List.of(new Problem.FieldError("attachment", detail)));
    }
}
