package io.tether.fanout.attachments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.attachments.storage.AttachmentStore;
import io.tether.contract.RedisKeys;
import io.tether.testkit.RedisFixture;
import io.tether.testkit.S3Server;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.async.AsyncRequestBody;

/**
 * The sweeper against a real Redis and a real S3-API server, with an upload's record save landed exactly between the
 * sweeper's steps: an upload answered 201 keeps its body, whatever the sweeper was doing.
 */
class AttachmentSweeperIT {
    private static final long GRACE = 60_000;
    private static final long HOUR = 3_600_000;
    private static final byte[] BODY = "a body that outlasted its reservation".getBytes(StandardCharsets.UTF_8);
    @RegisterExtension
    static final RedisFixture REDIS = new RedisFixture();
    private static S3Server server;
    private static AttachmentStore store;
    private static StatefulRedisConnection<String, String> connection;
    private static RedisAsyncCommands<String, String> redis;
    private static AttachmentRecords records;

    @BeforeAll
    static void start() throws Exception {
        server = S3Server.start(Files.createTempDirectory(Path.of("target"), "s3-"));
        store = AttachmentStore.create(Optional.of(URI.create(server.endpoint())), S3Server.REGION, "sweeper-it", true,
                Optional.of(S3Server.ACCESS_KEY_ID), Optional.of(S3Server.SECRET_ACCESS_KEY), 5L * 1024 * 1024);
        store.ensureBucket().get(30, TimeUnit.SECONDS);
        connection = REDIS.connect();
        redis = connection.async();
        records = new AttachmentRecords(redis);
    }

    @AfterAll
    static void stop() {
        store.close();
        server.close();
    }

    /** An upload that outlasted its reservation: due for deletion (grace included) at {@code now}, its body stored. */
    private static void staleUpload(String id, long now) throws Exception {
        records.reserve(id, now - GRACE - 1_000).toCompletableFuture().get(5, TimeUnit.SECONDS);
        store.upload(id, "text/plain", AsyncRequestBody.fromBytes(BODY)).get(30, TimeUnit.SECONDS);
    }

    /** The upload's last step; true is what answers 201, false the 503. */
    private static CompletionStage<Boolean> save(String id, long now) {
        return records.save(new AttachmentRecords.Record(id, BODY.length, "ab".repeat(32), "text/plain", null, now, Set.of()),
                now + HOUR);
    }

    private static boolean stored(String id) throws Exception {
        return store.exists(id).get(10, TimeUnit.SECONDS);
    }

    private static Double deleteAt(String id) throws Exception {
        return redis.zscore(RedisKeys.attachmentExpiry(), id).get(5, TimeUnit.SECONDS);
    }

    private static void sweep(AttachmentSweeper sweeper, long now) throws Exception {
        sweeper.sweep(now).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void anUploadSavedAfterTheSweeperListedItKeepsItsBody() throws Exception {
        long now = System.currentTimeMillis();
        String id = "att_savedafterlistingsavedafter";
        staleUpload(id, now);
        List<String> listed = new ArrayList<>();
        AtomicReference<Boolean> saved = new AtomicReference<>();
        AttachmentSweeper sweeper = new AttachmentSweeper(store, records, GRACE, new AttachmentSweeper.Interleaving() {
            @Override
            public CompletionStage<Void> listed(List<String> ids) {
                listed.addAll(ids);
                return save(id, now).thenAccept(saved::set);
            }
        });

        sweep(sweeper, now);

        assertTrue(listed.contains(id), "the sweeper took it for due: " + listed);
        assertTrue(saved.get(), "the upload was answered 201");
        assertTrue(stored(id), "a body answered 201 is still stored");
        assertTrue(records.read(id).toCompletableFuture().get(5, TimeUnit.SECONDS).isPresent(), "and a message can refer to it");
        assertEquals(now + HOUR, deleteAt(id).longValue(), "it is deleted when its unsent time is over, not before");
    }

    @Test
    void anUploadSavedAfterTheSweeperClaimedItIsRefusedAndItsBodyDeleted() throws Exception {
        long now = System.currentTimeMillis();
        String id = "att_savedafterclaimsavedafterc";
        staleUpload(id, now);
        List<String> claimed = new ArrayList<>();
        AtomicReference<Boolean> saved = new AtomicReference<>();
        AttachmentSweeper sweeper = new AttachmentSweeper(store, records, GRACE, new AttachmentSweeper.Interleaving() {
            @Override
            public CompletionStage<Void> claimed(List<String> ids) {
                claimed.addAll(ids);
                return save(id, now).thenAccept(saved::set);
            }
        });

        sweep(sweeper, now);

        assertTrue(claimed.contains(id), "the sweeper claimed it: " + claimed);
        assertFalse(saved.get(), "the upload is refused (503): its body is being deleted");
        assertFalse(stored(id));
        assertTrue(records.read(id).toCompletableFuture().get(5, TimeUnit.SECONDS).isEmpty(), "no record of a deleted body");
        assertNull(deleteAt(id), "nothing is left to delete");
    }

    @Test
    void aClaimLeftByASweeperThatDiedBeforeDeletingIsFinishedByTheNextSweep() throws Exception {
        long now = System.currentTimeMillis();
        String id = "att_claimedthendiedclaimedthen";
        staleUpload(id, now);
        assertTrue(records.claim(id, now - GRACE).toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertFalse(save(id, now).toCompletableFuture().get(5, TimeUnit.SECONDS), "a claimed body's upload is refused");

        sweep(new AttachmentSweeper(store, records, GRACE), now);

        assertFalse(stored(id), "the next sweep deleted the body the dead one claimed");
        assertNull(deleteAt(id));
    }

    @Test
    void aBodyNotYetDueIsLeftAlone() throws Exception {
        long now = System.currentTimeMillis();
        String id = "att_notyetduenotyetduenotyetdu";
        records.reserve(id, now - GRACE + 1_000).toCompletableFuture().get(5, TimeUnit.SECONDS);
        store.upload(id, "text/plain", AsyncRequestBody.fromBytes(BODY)).get(30, TimeUnit.SECONDS);

        sweep(new AttachmentSweeper(store, records, GRACE), now);

        assertTrue(stored(id), "still within its grace");
        assertTrue(save(id, now).toCompletableFuture().get(5, TimeUnit.SECONDS));
    }
}
