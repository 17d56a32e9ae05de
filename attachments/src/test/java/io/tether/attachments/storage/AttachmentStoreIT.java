package io.tether.attachments.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.testkit.S3Server;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** The store against a real S3-API server (S3Proxy) over real sockets. */
class AttachmentStoreIT {
    private static final long PART = 5L * 1024 * 1024;
    private static S3Server server;
    private static AttachmentStore store;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "s3-");
        server = S3Server.start(dir);
        store = AttachmentStore.create(Optional.of(URI.create(server.endpoint())), S3Server.REGION, "store-it", true,
                Optional.of(S3Server.ACCESS_KEY_ID), Optional.of(S3Server.SECRET_ACCESS_KEY), PART);
        store.ensureBucket().get(30, TimeUnit.SECONDS);
        store.ensureBucket().get(30, TimeUnit.SECONDS); // a second start finds it
    }

    @AfterAll
    static void stop() {
        store.close();
        server.close();
    }

    @Test
    void aBodyOfSeveralPartsIsStoredAndReadBackByRange() throws Exception {
        byte[] body = new byte[(int) (3 * PART + 12345)];
        new Random(7).nextBytes(body);
        String id = "att_severalpartsseveralparts";
        store.upload(id, "application/octet-stream", AsyncRequestBody.fromBytes(body)).get(60, TimeUnit.SECONDS);

        assertTrue(store.exists(id).get(10, TimeUnit.SECONDS));
        assertArrayEquals(slice(body, 0, body.length - 1), read(id, 0, body.length - 1));
        assertArrayEquals(slice(body, PART - 10, PART + 10), read(id, PART - 10, PART + 10));
        assertArrayEquals(slice(body, body.length - 100, body.length - 1), read(id, body.length - 100, body.length - 1));
    }

    /**
     * A body of unknown length whose pieces do not line up with the parts. The SDK holds the first part back until a
     * second one is complete, and asks for more only while the buffered bytes plus the size of the last piece fit its
     * buffer: with a buffer of exactly two parts, pieces of 3000, 8192 and 5192 bytes before the second part's end left
     * it 5192 bytes short, never asked for (5192 + 8192 did not fit), and the upload stalled with nothing stored.
     */
    @Test
    void aStreamedBodyWhosePiecesDoNotLineUpWithThePartsIsStored() throws Exception {
        int full = (int) (2 * PART - 16384) / 8192;
        int[] sizes = new int[full + 3 + 320 + 1];
        java.util.Arrays.fill(sizes, 8192);
        sizes[full] = 3000;
        sizes[full + 2] = 5192;
        sizes[sizes.length - 1] = 100;
        Pieces body = new Pieces(sizes);
        String id = "att_unalignedunalignedunalig";
        store.upload(id, "application/octet-stream", body).get(60, TimeUnit.SECONDS);

        byte[] stored = read(id, 0, body.length() - 1);
        assertEquals(body.length(), stored.length);
        for (int i = 0; i < stored.length; i++) {
            if (stored[i] != Pieces.byteAt(i)) {
                throw new AssertionError("byte " + i + " differs");
            }
        }
    }

    @Test
    void aSmallBodyIsStoredInOnePiece() throws Exception {
        byte[] body = "hello, tether".getBytes();
        store.upload("att_smallsmallsmallsmallsmall", "text/plain", AsyncRequestBody.fromBytes(body)).get(30, TimeUnit.SECONDS);
        assertArrayEquals(body, read("att_smallsmallsmallsmallsmall", 0, body.length - 1));
    }

    @Test
    void aDeletedBodyIsGoneAndDeletingAgainIsFine() throws Exception {
        String id = "att_deleteddeleteddeleteddel";
        store.upload(id, "text/plain", AsyncRequestBody.fromBytes(new byte[] {1, 2, 3})).get(30, TimeUnit.SECONDS);
        store.delete(id).get(10, TimeUnit.SECONDS);
        assertFalse(store.exists(id).get(10, TimeUnit.SECONDS));
        store.delete(id).get(10, TimeUnit.SECONDS);
        CompletionException missing = assertThrows(CompletionException.class, () -> store.read(id, 0, 2).join());
        assertInstanceOf(NoSuchKeyException.class, AttachmentStore.unwrap(missing));
    }

    private static byte[] read(String id, long first, long last) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.read(id, first, last).get(10, TimeUnit.SECONDS).subscribe(buffer -> {
            byte[] chunk = new byte[buffer.remaining()];
            buffer.get(chunk);
            out.write(chunk, 0, chunk.length);
        }).get(30, TimeUnit.SECONDS);
        return out.toByteArray();
    }

    private static byte[] slice(byte[] body, long first, long last) {
        byte[] out = new byte[(int) (last - first + 1)];
        System.arraycopy(body, (int) first, out, 0, out.length);
        return out;
    }
}
