package io.tether.webhook.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.webhook.registry.DestinationCheck;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sender against receivers on a local socket that misbehave: every attempt ends, within its timeout. */
class WebhookSenderTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** The attempt must have ended by then: its timeout and a generous margin for a loaded machine. */
    private static final long DEADLINE_SECONDS = TIMEOUT.toSeconds() + 10;
    private static final QueueEntry ENTRY = new QueueEntry("evt_1", "message.status", "dev-1", "{\"id\":\"evt_1\"}");

    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();
    /** Private destinations allowed: the receivers listen on 127.0.0.1. */
    private final WebhookSender sender = new WebhookSender(WebhookSender.client(TIMEOUT), TIMEOUT,
            new DestinationCheck(true, InetAddress::getAllByName, Runnable::run, TIMEOUT));

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void aReceiverThatAnswersTwoHundredAndNeverFinishesItsBodyHasTakenTheEvent() throws Exception {
        String url = receiver(out -> write(out, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"));

        WebhookSender.Outcome outcome = sender.send(url, secret(), ENTRY, System.currentTimeMillis()).toCompletableFuture()
                .get(DEADLINE_SECONDS, TimeUnit.SECONDS);

        assertTrue(outcome.delivered(), "the status decides: " + outcome);
        assertEquals(200, outcome.httpStatus());
    }

    @Test
    void aReceiverThatAnswersFiveHundredAndNeverFinishesItsBodyFailsTheAttempt() throws Exception {
        String url = receiver(out -> write(out, "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 1000\r\n\r\n"));

        WebhookSender.Outcome outcome = sender.send(url, secret(), ENTRY, System.currentTimeMillis()).toCompletableFuture()
                .get(DEADLINE_SECONDS, TimeUnit.SECONDS);

        assertFalse(outcome.delivered());
        assertEquals(503, outcome.httpStatus());
    }

    @Test
    void aReceiverThatNeverAnswersFailsTheAttemptAfterTheTimeout() throws Exception {
        String url = receiver(out -> {
        });

        WebhookSender.Outcome outcome = sender.send(url, secret(), ENTRY, System.currentTimeMillis()).toCompletableFuture()
                .get(DEADLINE_SECONDS, TimeUnit.SECONDS);

        assertFalse(outcome.delivered());
        assertEquals(0, outcome.httpStatus());
    }

    @Test
    void aDestinationInsideTheNetworkIsAFailedAttemptAndNothingIsSentThere() throws Exception {
        try (RecordingReceiver receiver = new RecordingReceiver(204)) {
            WebhookSender guarded = new WebhookSender(WebhookSender.client(TIMEOUT), TIMEOUT,
                    new DestinationCheck(false, InetAddress::getAllByName, Runnable::run, TIMEOUT));

            WebhookSender.Outcome outcome = guarded.send(receiver.url(), secret(), ENTRY, System.currentTimeMillis()).toCompletableFuture()
                    .get(DEADLINE_SECONDS, TimeUnit.SECONDS);

            assertFalse(outcome.delivered());
            assertTrue(outcome.error().startsWith("destination refused: url names a loopback address (127.0.0.1)"), outcome.error());
            assertEquals(List.of(), receiver.eventIds());
        }
    }

    private static String secret() {
        return Signature.newSecret(new java.security.SecureRandom());
    }

    private static void write(OutputStream out, String text) {
        try {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A receiver on 127.0.0.1 that reads a request's headers, lets {@code answer} write to the connection, and then
     * holds the connection open, writing nothing more, until the test ends.
     */
    private String receiver(Consumer<OutputStream> answer) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        open.add(server);
        Thread thread = new Thread(() -> {
            try {
                while (!server.isClosed()) {
                    Socket socket = server.accept();
                    open.add(socket);
                    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                        // the request's headers; its body stays unread
                    }
                    answer.accept(socket.getOutputStream());
                }
            } catch (IOException | RuntimeException e) {
                // closed at the end of the test
            }
        }, "test-receiver");
        thread.setDaemon(true);
        thread.start();
        return "http://127.0.0.1:" + server.getLocalPort() + "/hook";
    }
}
