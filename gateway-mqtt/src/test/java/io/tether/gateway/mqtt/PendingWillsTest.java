package io.tether.gateway.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.gateway.testing.FakeVertx;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The wills held back here: one per device, decided by the first connection after theirs, never silently lost. */
class PendingWillsTest {
    private final FakeVertx vertx = new FakeVertx();
    private final PendingWills wills = new PendingWills(vertx.vertx());
    private final List<String> heard = new CopyOnWriteArrayList<>();
    /** The rechecks' Redis answers, completed by the test. */
    private final List<CompletableFuture<Void>> answers = new CopyOnWriteArrayList<>();

    /** A will that records what happens to it. */
    private PendingWills.Will will(String name) {
        return new PendingWills.Will() {
            @Override
            public void check() {
                heard.add(name + " checked");
            }

            @Override
            public void replaced(long newer) {
                heard.add(name + " replaced by " + newer);
            }

            @Override
            public CompletionStage<?> recheck() {
                heard.add(name + " rechecked");
                CompletableFuture<Void> answer = new CompletableFuture<>();
                answers.add(answer);
                return answer;
            }

            @Override
            public void decided(boolean resumed) {
                heard.add(name + (resumed ? " resumed" : " new session"));
            }
        };
    }

    @Test
    void aDeviceThatDropsAgainHoldsOneWillTheNewestAndEachReplacedOneIsCheckedNotLost() {
        vertx.onLoop(() -> {
            for (int drop = 1; drop <= 1000; drop++) {
                wills.hold("dev1", drop, 60_000, will("will " + drop));
            }
        });

        assertEquals(1, wills.size());
        assertEquals(List.of(60_000L), vertx.armedDelays(), "the replaced timers are cancelled");
        assertEquals(999, heard.size(), "every replaced will asked Redis at once: " + heard.subList(0, 3));
        assertEquals("will 1 replaced by 2", heard.get(0), "told which newer connection replaced it");
        heard.clear();
        vertx.fireAll();
        assertEquals(List.of("will 1000 checked"), heard, "the newest at its delay");
        assertEquals(0, wills.size());
    }

    @Test
    void anOlderConnectionsEndToldLateDoesNotReplaceTheNewerWill() {
        vertx.onLoop(() -> {
            wills.hold("dev1", 8, 5_000, will("8"));
            wills.hold("dev1", 7, 5_000, will("7"));
        });

        assertEquals(List.of("7 replaced by 8"), heard);
        vertx.fireAll();
        assertEquals(List.of("7 replaced by 8", "8 checked"), heard);
    }

    @Test
    void theFirstConnectionAfterItsConnectionSettlesExactlyThatWillAtOnce() {
        vertx.onLoop(() -> {
            wills.hold("dev1", 7, 5_000, will("dev1"));
            wills.hold("dev2", 7, 5_000, will("dev2"));
            wills.hold("dev3", 7, 5_000, will("dev3"));
        });

        wills.settle("dev1", 7, true); // from any thread: a claim's answer, a will notice
        wills.settle("dev2", 7, false);
        wills.settle("dev3", 6, false); // about another connection of dev3: not the held will's
        assertEquals(List.of("dev1 resumed", "dev2 new session"), heard, "before any delay passed");

        vertx.fireAll();
        assertEquals(List.of("dev1 resumed", "dev2 new session", "dev3 checked"), heard, "only dev3's timer was left");
        wills.settle("dev1", 7, false);
        assertEquals(3, heard.size(), "settled once: nothing held any more");
        assertEquals(0, wills.size());
    }

    @Test
    void afterTheControlChannelCameBackEveryHeldWillAsksAgainAndKeepsWaiting() {
        vertx.onLoop(() -> {
            wills.hold("dev1", 7, 5_000, will("dev1"));
            wills.hold("dev2", 9, 5_000, will("dev2"));
        });

        assertEquals(2, wills.recheckAll()); // from the pub/sub thread
        assertEquals(List.of("dev1 rechecked", "dev2 rechecked"), heard.stream().sorted().toList());
        assertEquals(2, wills.size(), "asking settles nothing by itself: only a recorded decision does");
        assertEquals(List.of(5_000L, 5_000L), vertx.armedDelays(), "their delays still run");

        wills.settle("dev1", 7, false); // what dev1's recheck does when Redis has its decision
        answers.forEach(answer -> answer.complete(null));
        assertFalse(wills.rechecking(), "the run ended with the last answer");
        vertx.fireAll();
        assertEquals(List.of("dev1 new session", "dev1 rechecked", "dev2 checked", "dev2 rechecked"), heard.stream().sorted().toList());
        assertEquals(0, wills.recheckAll(), "none held");
    }

    @Test
    void aRecheckAsksABatchAtATimeTheNextOnceTheOneBeforeWasAnsweredAndOneAskedMeanwhileRunsOnceAfterIt() {
        int held = 2 * PendingWills.RECHECK_BATCH + 10;
        vertx.onLoop(() -> {
            for (int device = 0; device < held; device++) {
                wills.hold("dev" + device, 7, 5_000, will("dev" + device));
            }
        });

        assertEquals(held, wills.recheckAll());
        assertEquals(PendingWills.RECHECK_BATCH, answers.size(), "one batch asks, not every will at once");
        assertEquals(-1, wills.recheckAll(), "the control channel came back again meanwhile: not doubled, remembered");
        assertEquals(-1, wills.recheckAll(), "and again");
        assertEquals(PendingWills.RECHECK_BATCH, answers.size());

        answers.subList(0, PendingWills.RECHECK_BATCH - 1).forEach(answer -> answer.complete(null));
        assertEquals(PendingWills.RECHECK_BATCH, answers.size(), "the batch waits for its last answer");
        answers.get(PendingWills.RECHECK_BATCH - 1).completeExceptionally(new IllegalStateException("redis away"));
        assertEquals(2 * PendingWills.RECHECK_BATCH, answers.size(), "an answer that failed counts as answered");

        String notAsked = java.util.stream.IntStream.range(0, held).mapToObj(device -> "dev" + device)
                .filter(device -> !heard.contains(device + " rechecked")).findFirst().orElseThrow();
        wills.settle(notAsked, 7, true); // settled before its batch asked: it does not ask
        answers.subList(PendingWills.RECHECK_BATCH, answers.size()).forEach(answer -> answer.complete(null));
        assertEquals(held - 1, answers.size());
        assertTrue(wills.rechecking());
        answers.subList(2 * PendingWills.RECHECK_BATCH, answers.size()).forEach(answer -> answer.complete(null));
        assertTrue(wills.rechecking(), "the re-subscribes during the run: it runs once more, from the wills held now");
        assertEquals(held - 1 + PendingWills.RECHECK_BATCH, answers.size(), "a batch at a time again");

        while (answers.stream().anyMatch(answer -> !answer.isDone())) {
            answers.forEach(answer -> answer.complete(null));
        }
        assertFalse(wills.rechecking(), "done: one more run, not one per re-subscribe; the next loss runs again");
        assertEquals(2 * (held - 1), answers.size());
        assertEquals(held - 1, wills.recheckAll());
    }

    @Test
    void batchesAnsweredAtOnceStartTheNextWithoutDeepeningTheStack() {
        int batches = 40;
        List<Integer> depths = new CopyOnWriteArrayList<>();
        vertx.onLoop(() -> {
            for (int device = 0; device < batches * PendingWills.RECHECK_BATCH; device++) {
                wills.hold("dev" + device, 7, 5_000, new PendingWills.Will() {
                    @Override
                    public void check() {
                    }

                    @Override
                    public void replaced(long newer) {
                    }

                    @Override
                    public CompletionStage<?> recheck() {
                        depths.add(Thread.currentThread().getStackTrace().length);
                        return CompletableFuture.completedFuture(null); // answered on the calling thread
                    }

                    @Override
                    public void decided(boolean resumed) {
                    }
                });
            }
        });

        assertEquals(batches * PendingWills.RECHECK_BATCH, wills.recheckAll());
        assertEquals(batches * PendingWills.RECHECK_BATCH, depths.size());
        assertFalse(wills.rechecking());
        assertEquals(depths.get(0), depths.get(depths.size() - 1), "the last batch asks from where the first did");
    }

    @Test
    void aRecheckThatThrowsDoesNotStopTheOthers() {
        vertx.onLoop(() -> {
            wills.hold("dev1", 7, 5_000, new PendingWills.Will() {
                @Override
                public void check() {
                }

                @Override
                public void replaced(long newer) {
                }

                @Override
                public CompletionStage<?> recheck() {
                    throw new IllegalStateException("a bug");
                }

                @Override
                public void decided(boolean resumed) {
                }
            });
            wills.hold("dev2", 7, 5_000, will("dev2"));
        });

        assertEquals(2, wills.recheckAll());
        assertEquals(List.of("dev2 rechecked"), heard);
        answers.forEach(answer -> answer.complete(null));
        assertFalse(wills.rechecking());
    }
}
