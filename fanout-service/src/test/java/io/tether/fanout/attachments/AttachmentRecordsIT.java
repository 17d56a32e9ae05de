package io.tether.fanout.attachments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.contract.RedisKeys;
import io.tether.testkit.RedisFixture;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** When an uploaded body is deleted, against a real Redis: the first message sets it, later ones only push it back. */
class AttachmentRecordsIT {
    private static final long HOUR = 3_600_000;
    @RegisterExtension
    static final RedisFixture REDIS = new RedisFixture();
    private static StatefulRedisConnection<String, String> connection;
    private static RedisAsyncCommands<String, String> redis;
    private static AttachmentRecords records;

    @BeforeAll
    static void start() {
        connection = REDIS.connect();
        redis = connection.async();
        records = new AttachmentRecords(redis);
    }

    private static long deleteAt(String id) throws Exception {
        return redis.zscore(RedisKeys.attachmentExpiry(), id).get(5, TimeUnit.SECONDS).longValue();
    }

    private static boolean keep(String id, long at) throws Exception {
        return records.keepUntil(id, at).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static void upload(String id, long now, long unsentUntil) throws Exception {
        records.reserve(id, unsentUntil).toCompletableFuture().get(5, TimeUnit.SECONDS);
        records.save(new AttachmentRecords.Record(id, 10, "ab".repeat(32), "text/plain", null, now, java.util.Set.of()), unsentUntil)
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void theFirstMessageReplacesTheUnsentTimeAndLaterOnesOnlyKeepItLonger() throws Exception {
        long now = System.currentTimeMillis();
        String id = "att_firstmessagesetsdeletion";
        upload(id, now, now + 24 * HOUR);

        assertTrue(keep(id, now + HOUR));
        assertEquals(now + HOUR, deleteAt(id), "a message of one hour: deleted after it, not after the day an unsent body is kept");
        long recordExpiry = redis.pexpiretime(RedisKeys.attachment(id)).get(5, TimeUnit.SECONDS);
        assertEquals(now + HOUR, recordExpiry, "no new message can refer to it once it is due");

        assertTrue(keep(id, now + 3 * HOUR));
        assertEquals(now + 3 * HOUR, deleteAt(id));
        assertTrue(keep(id, now + 2 * HOUR));
        assertEquals(now + 3 * HOUR, deleteAt(id), "an earlier message never brings the deletion forward");
        assertEquals(now + 3 * HOUR, redis.pexpiretime(RedisKeys.attachment(id)).get(5, TimeUnit.SECONDS));
    }

    @Test
    void aBodyReservedBeforeItIsStoredIsDueForDeletionEvenIfItsRecordIsNeverSaved() throws Exception {
        long now = System.currentTimeMillis();
        records.reserve("att_reservedreservedreservedres", now - 1).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertTrue(records.dueBefore(now, 100).toCompletableFuture().get(5, TimeUnit.SECONDS).contains("att_reservedreservedreservedres"));
    }

    @Test
    void theUploadersAppsAreReadBackAsSaved() throws Exception {
        long now = System.currentTimeMillis();
        records.reserve("att_teamteamteamteamteamteamtea", now).toCompletableFuture().get(5, TimeUnit.SECONDS);
        records.save(new AttachmentRecords.Record("att_teamteamteamteamteamteamtea", 10, "ab".repeat(32), "text/plain", null, now,
                java.util.Set.of("com.example.a", "com.example.b")), now + HOUR).toCompletableFuture().get(5, TimeUnit.SECONDS);
        upload("att_everyappeveryappeveryappev", now, now + HOUR);
        assertEquals(java.util.Set.of("com.example.a", "com.example.b"), records.read("att_teamteamteamteamteamteamtea")
                .toCompletableFuture().get(5, TimeUnit.SECONDS).orElseThrow().uploaderApps());
        assertEquals(java.util.Set.of(), records.read("att_everyappeveryappeveryappev")
                .toCompletableFuture().get(5, TimeUnit.SECONDS).orElseThrow().uploaderApps());
    }

    @Test
    void aRecordWhoseReservationTheSweeperTookIsNotSaved() throws Exception {
        long now = System.currentTimeMillis();
        String id = "att_sweptsweptsweptsweptsweptsw";
        records.reserve(id, now - 1).toCompletableFuture().get(5, TimeUnit.SECONDS);
        records.forget(id).toCompletableFuture().get(5, TimeUnit.SECONDS); // what the sweeper does after deleting the body

        boolean saved = records.save(new AttachmentRecords.Record(id, 10, "ab".repeat(32), "text/plain", null, now, java.util.Set.of()),
                now + HOUR).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertFalse(saved);
        assertEquals(0L, redis.exists(RedisKeys.attachment(id)).get(5, TimeUnit.SECONDS), "no record of a body that may be gone");
    }

    @Test
    void onlyADueBodyWithoutRecordIsClaimedAndAClaimStays() throws Exception {
        long now = System.currentTimeMillis();
        records.reserve("att_claimnotduenotduenotduenot", now + HOUR).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertFalse(claim("att_claimnotduenotduenotduenot", now), "not due yet");

        upload("att_claimsavedsavedsavedsavedsa", now, now + HOUR);
        assertFalse(claim("att_claimsavedsavedsavedsavedsa", now + 2 * HOUR), "its record is still there: a message may refer to it");

        records.reserve("att_claimduedueduedueduedueduedu", now - 1).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertTrue(claim("att_claimduedueduedueduedueduedu", now));
        assertTrue(claim("att_claimduedueduedueduedueduedu", now), "claimed again by a sweep after one that died");
        assertTrue(records.dueBefore(now, 100).toCompletableFuture().get(5, TimeUnit.SECONDS).contains("att_claimduedueduedueduedueduedu"),
                "listed until it is forgotten");
        assertFalse(keep("att_claimduedueduedueduedueduedu", now + HOUR), "no message refers to a claimed body");

        assertFalse(claim("att_neverreservedneverreservedn", now), "nothing to claim");
    }

    private static boolean claim(String id, long before) throws Exception {
        return records.claim(id, before).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void aBodyWhoseRecordIsGoneCannotBeReferredTo() throws Exception {
        assertFalse(keep("att_neveruploadedneveruploaded", System.currentTimeMillis() + HOUR));
    }

    @Test
    void dueBodiesAreListedAndForgotten() throws Exception {
        long now = System.currentTimeMillis();
        upload("att_dueduedueduedueduedueduedu", now, now - 1);
        upload("att_notyetnotyetnotyetnotyetno", now, now + HOUR);
        List<String> due = records.dueBefore(now, 100).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertTrue(due.contains("att_dueduedueduedueduedueduedu"), due.toString());
        assertFalse(due.contains("att_notyetnotyetnotyetnotyetno"), due.toString());

        records.forget("att_dueduedueduedueduedueduedu").toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertFalse(records.dueBefore(now, 100).toCompletableFuture().get(5, TimeUnit.SECONDS).contains("att_dueduedueduedueduedueduedu"));
    }
}
