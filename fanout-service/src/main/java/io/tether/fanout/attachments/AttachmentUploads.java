package io.tether.fanout.attachments;

import io.tether.attachments.storage.AttachmentStore;
import io.tether.contract.attachment.AttachmentWire;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Takes uploaded bodies: streams each into object storage under a new attachment id, then records its size and
 * digest (computed on the way) in Redis, to be deleted after {@code unsentTtl} unless a message refers to it.
 */
public final class AttachmentUploads {
    private final AttachmentStore store;
    private final AttachmentRecords records;
    private final Duration unsentTtl;

    /** Answer of {@code POST /v1/attachments}. {@code expiresAt}: epoch millis when it is deleted unless a message refers to it. */
    public record Uploaded(String attachmentId, long size, String sha256, String contentType, String name, long expiresAt) {
    }

    public AttachmentUploads(AttachmentStore store, AttachmentRecords records, Duration unsentTtl) {
        this.store = store;
        this.records = records;
        this.unsentTtl = unsentTtl;
    }

    public CompletionStage<Uploaded> upload(String contentType, String name, BodyPublisher body) {
        String id = AttachmentWire.randomId();
        return store.upload(id, contentType, body).thenCompose(stored -> {
            long now = System.currentTimeMillis();
            long deleteAt = now + unsentTtl.toMillis();
            AttachmentRecords.Record record = new AttachmentRecords.Record(id, body.size(), body.sha256Hex(), contentType, name, now);
            return records.save(record, deleteAt)
                    .thenApply(v -> new Uploaded(id, record.size(), record.sha256(), contentType, name, deleteAt));
        });
    }
}
