package io.tether.fanout.attachments;

import io.tether.attachments.storage.AttachmentStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * Deletes bodies from object storage once the last message that refers to them expired (or, never sent, their
 * unsent time passed), after a grace ({@code tether.attachments.deletion-grace}): a message accepted just before the
 * due time has surely pushed the deletion back by then.
 *
 * <p>The listing only names candidates: an upload that outlasted its reservation may still save its record (and
 * answer 201) after it. So each candidate is first claimed in Redis, atomically with the check that it is still due
 * and unsaved ({@link AttachmentRecords#claim}); only claimed bodies are deleted, and an upload's save refuses a
 * claimed one (it answers 503).
 */
public final class AttachmentSweeper {
    private static final int BATCH = 100;
    private static final Logger LOG = Logger.getLogger(AttachmentSweeper.class);

    private final AttachmentStore store;
    private final AttachmentRecords records;
    private final long graceMillis;
    private final Interleaving steps;

    /** Runs between the sweeper's steps: where a test lands an upload's save, to interleave the two exactly. */
    interface Interleaving {
        Interleaving NONE = new Interleaving() {
        };

        default CompletionStage<Void> listed(List<String> ids) {
            return CompletableFuture.completedFuture(null);
        }

        default CompletionStage<Void> claimed(List<String> ids) {
            return CompletableFuture.completedFuture(null);
        }
    }

    public AttachmentSweeper(AttachmentStore store, AttachmentRecords records, long graceMillis) {
        this(store, records, graceMillis, Interleaving.NONE);
    }

    AttachmentSweeper(AttachmentStore store, AttachmentRecords records, long graceMillis, Interleaving steps) {
        this.store = store;
        this.records = records;
        this.graceMillis = graceMillis;
        this.steps = steps;
    }

    /** Deletes what is due at {@code nowMillis}; answers how many bodies were deleted. */
    public CompletionStage<Integer> sweep(long nowMillis) {
        long dueBy = nowMillis - graceMillis;
        return records.dueBefore(dueBy, BATCH).thenCompose(ids -> steps.listed(ids)
                .thenCompose(v -> claimAll(ids, dueBy))
                .thenCompose(claimed -> steps.claimed(claimed).thenCompose(v -> deleteAll(claimed)))
                // Another batch only after progress: candidates left unclaimed stay listed, and would be listed again.
                .thenCompose(deleted -> ids.size() == BATCH && deleted > 0
                        ? sweep(nowMillis).thenApply(more -> deleted + more)
                        : CompletableFuture.completedFuture(deleted)));
    }

    private CompletionStage<List<String>> claimAll(List<String> ids, long dueBy) {
        List<CompletableFuture<Boolean>> claims = ids.stream().map(id -> records.claim(id, dueBy).toCompletableFuture()).toList();
        return CompletableFuture.allOf(claims.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<String> claimed = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                if (claims.get(i).join()) {
                    claimed.add(ids.get(i));
                }
            }
            return claimed;
        });
    }

    private CompletionStage<Integer> deleteAll(List<String> ids) {
        List<CompletableFuture<Void>> deletions = ids.stream()
                .map(id -> store.delete(id).thenCompose(v -> records.forget(id)).toCompletableFuture())
                .toList();
        return CompletableFuture.allOf(deletions.toArray(CompletableFuture[]::new)).thenApply(v -> {
            LOG.debugf("deleted %d expired attachment bodies", ids.size());
            return ids.size();
        });
    }
}
