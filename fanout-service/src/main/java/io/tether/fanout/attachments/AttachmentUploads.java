package io.tether.fanout.attachments;

import io.tether.attachments.storage.AttachmentStore;
import io.tether.contract.attachment.AttachmentWire;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Takes uploaded bodies: streams each into object storage under a new attachment id, then records its size and
 * digest (computed on the way) in Redis, to be deleted after {@code unsentTtl} unless a message refers to it. The
 * deletion is scheduled before the body is stored, so a body whose record was never written is deleted too.
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

    /** @param uploaderApps the uploading key's apps (empty: every app): only keys within them may send the body */
    public CompletionStage<Uploaded> upload(String contentType, String name, Set<String> uploaderApps, BodyPublisher body) {
        String id = AttachmentWire.randomId();
        long reservedAt = System.currentTimeMillis();
        // Due for deletion before anything is stored; saving the record later only pushes the time back.
        return records.reserve(id, reservedAt + unsentTtl.toMillis()).thenCompose(v -> store.upload(id, contentType, body)).thenCompose(stored -> {
            long now = System.currentTimeMillis();
            long deleteAt = now + unsentTtl.toMillis();
            AttachmentRecords.Record record = new AttachmentRecords.Record(id, body.size(), body.sha256Hex(), contentType, name, now,
                    uploaderApps);
            return records.save(record, deleteAt).thenCompose(saved -> {
                if (saved) {
                    return CompletableFuture.completedFuture(new Uploaded(id, record.size(), record.sha256(), contentType, name, deleteAt));
                }
                // The upload outlasted its reservation and the sweeper claimed it: the body may be gone, so no 201 for it.
                return store.delete(id).<Uploaded>thenApply(deleted -> {
                    throw new IllegalStateException("the upload took longer than tether.attachments.unsent-ttl; upload again");
                });
            });
        });
    }
}
