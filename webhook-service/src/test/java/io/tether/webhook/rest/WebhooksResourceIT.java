package io.tether.webhook.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.contract.TetherEvent;
import io.tether.contract.problem.Problem;
import io.tether.rest.auth.ApiPrincipal;
import io.tether.rest.auth.CurrentCaller;
import io.tether.rest.problem.ProblemException;
import io.tether.runtime.failure.Failures;
import io.tether.testkit.RedisFixture;
import io.tether.webhook.delivery.DeliveryQueues;
import io.tether.webhook.delivery.QueueEntry;
import io.tether.webhook.registry.DestinationCheck;
import io.tether.webhook.registry.WebhookDirectory;
import io.tether.webhook.registry.WebhookStore;
import jakarta.ws.rs.core.Response;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Registration against the destinations allowed, with its webhooks in a real redis-server. */
class WebhooksResourceIT {
    @RegisterExtension
    static final RedisFixture REDIS = new RedisFixture();
    private static RedisAsyncCommands<String, String> redis;
    private WebhookStore store;

    /** The caller the API key filter would have set. */
    private static final class Caller extends CurrentCaller {
        @Override
        public Optional<ApiPrincipal> principal() {
            return Optional.of(new ApiPrincipal("ak_test", Set.of("webhooks:manage")));
        }
    }

    @BeforeAll
    static void connect() {
        redis = REDIS.connect().async();
    }

    @BeforeEach
    void clean() throws Exception {
        redis.flushall().get(5, TimeUnit.SECONDS);
        store = new WebhookStore(redis);
    }

    @Test
    void aUrlInsideTheNetworkIsRefusedWithA400NamingUrlAndNothingIsRegistered() throws Exception {
        WebhooksResource resource = resource(false);

        ExecutionException failed = assertThrows(ExecutionException.class, () -> resource.create(
                new CreateWebhookRequest("http://169.254.169.254/latest/meta-data", "com.example", null)).toCompletableFuture()
                .get(10, TimeUnit.SECONDS));

        ProblemException problem = assertInstanceOf(ProblemException.class, Failures.unwrap(failed));
        assertEquals(400, problem.status());
        List<Problem.FieldError> errors = problem.errors();
        assertEquals(1, errors.size());
        assertEquals("url", errors.get(0).field());
        assertTrue(errors.get(0).message().startsWith("names a link-local address (169.254.169.254)"), errors.get(0).message());
        assertEquals(List.of(), store.all().toCompletableFuture().get(5, TimeUnit.SECONDS));
    }

    @Test
    void aPublicUrlIsRegistered() throws Exception {
        Response created = resource(false).create(new CreateWebhookRequest("https://93.184.216.34/hook", "com.example", null))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertEquals(201, created.getStatus());
        assertEquals(1, store.all().toCompletableFuture().get(5, TimeUnit.SECONDS).size());
    }

    @Test
    void withPrivateDestinationsAllowedALoopbackUrlIsRegistered() throws Exception {
        Response created = resource(true).create(new CreateWebhookRequest("http://127.0.0.1:9999/hook", "com.example", null))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertEquals(201, created.getStatus());
    }

    @Test
    void deletingAWebhookRemovesItsRecordAndItsKeys() throws Exception {
        WebhooksResource resource = resource(true);
        Response created = resource.create(new CreateWebhookRequest("http://127.0.0.1:9999/hook", "com.example", null))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        String id = ((WebhookResponse) created.getEntity()).id();
        QueueEntry entry = new QueueEntry("evt_1", TetherEvent.DEVICE_PRESENCE, "dev-1", "{}");
        new DeliveryQueues(redis, 100, 100, 100).enqueue(id, entry, 0, 1, 50).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertEquals(204, resource.delete(id).toCompletableFuture().get(10, TimeUnit.SECONDS).getStatus());

        assertEquals(List.of(), store.all().toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertEquals(List.of("tether:{wh:" + id + "}:deleted"), redis.keys("tether:{wh:" + id + "}:*").get(5, TimeUnit.SECONDS),
                "a tombstone, which expires");
    }

    @Test
    void deadLettersArePagedWithTheCursorOfTheAnswerALimitBeyondIsClampedAndABadCursorIsA400NamingIt() throws Exception {
        WebhooksResource resource = resource(true);
        Response created = resource.create(new CreateWebhookRequest("http://127.0.0.1:9999/hook", "com.example", null))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        String id = ((WebhookResponse) created.getEntity()).id();
        DeliveryQueues full = new DeliveryQueues(redis, 100, 100, 0); // every event a dead letter at once
        for (int i = 1; i <= 3; i++) {
            full.enqueue(id, new QueueEntry("evt_" + i, TetherEvent.DEVICE_PRESENCE, "dev-1", "{}"), 0, i, 50)
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
        }

        WebhooksResource.DeadLetterPage first = resource.deadLetters(id, 2, null).toCompletableFuture().get(5, TimeUnit.SECONDS);
        WebhooksResource.DeadLetterPage last = resource.deadLetters(id, 2, first.next()).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertEquals(List.of("evt_3", "evt_2"), first.items().stream().map(dead -> dead.entry().eventId()).toList());
        assertEquals(List.of("evt_1"), last.items().stream().map(dead -> dead.entry().eventId()).toList());
        assertEquals(null, last.next());
        // A limit beyond 1..1000 is clamped, as it always was (and as the delivery log's is).
        WebhooksResource.DeadLetterPage one = resource.deadLetters(id, 0, null).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(List.of("evt_3"), one.items().stream().map(dead -> dead.entry().eventId()).toList());
        assertTrue(one.next() != null);
        WebhooksResource.DeadLetterPage all = resource.deadLetters(id, 5_000, null).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(3, all.items().size());
        assertEquals(null, all.next());
        ProblemException bad = assertThrows(ProblemException.class, () -> resource.deadLetters(id, 0, "d1.bm90LWEtY3Vyc29y"));
        assertEquals(400, bad.status());
        assertEquals(List.of("cursor"), bad.errors().stream().map(Problem.FieldError::field).toList());
    }

    private WebhooksResource resource(boolean allowPrivate) {
        // Addresses only in these tests: parsed, never looked up.
        DestinationCheck destinations = new DestinationCheck(allowPrivate, InetAddress::getAllByName, Runnable::run, Duration.ofSeconds(5));
        return new WebhooksResource(store, new WebhookDirectory(store::all), new DeliveryQueues(redis, 100, 100, 100), new Caller(),
                destinations);
    }
}
