package io.tether.fanout.attachments;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which keys may send an uploaded body: {@link AttachmentRecords.Record#usableBy}. */
class AttachmentRecordTest {
    private static AttachmentRecords.Record uploadedBy(Set<String> apps) {
        return new AttachmentRecords.Record("att_x", 1, "ab".repeat(32), "text/plain", null, 0, apps);
    }

    @Test
    void aKeyOfEveryAppMaySendAnyBody() {
        assertTrue(uploadedBy(Set.of("a")).usableBy(Set.of()));
        assertTrue(uploadedBy(Set.of()).usableBy(Set.of()));
    }

    @Test
    void aLimitedKeyMaySendOnlyWhatAKeyWithinItsAppsUploaded() {
        assertTrue(uploadedBy(Set.of("a")).usableBy(Set.of("a", "b")));
        assertFalse(uploadedBy(Set.of("a", "c")).usableBy(Set.of("a", "b")), "c is another team's");
        assertFalse(uploadedBy(Set.of("c")).usableBy(Set.of("a")));
        assertFalse(uploadedBy(Set.of()).usableBy(Set.of("a")), "a key of every app uploaded it");
    }

    @Test
    void aBodyUploadedBeforeUploadersWereRecordedStaysUsable() {
        assertTrue(uploadedBy(null).usableBy(Set.of("a")));
    }
}
