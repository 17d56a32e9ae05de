package io.tether.runtime.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.runtime.failure.Backoff;
import io.tether.runtime.failure.Retry;
import io.tether.testkit.KafkaBroker;
import io.tether.testkit.Poll;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A static group member (group.instance.id: the pod name) that is stopped leaves its group at once, against a real
 * broker: a pod a rollout replaces never comes back under its name, so its partitions must not wait for its session
 * to time out.
 */
class StaticMemberLeavesIT {
    private static final String TOPIC = "it.static-leave";
    private static final String GROUP = "it-static-leave";
    /** Production's long session: a member that did not leave would hold its partitions this long. */
    private static final Duration SESSION = Duration.ofSeconds(45);

    @TempDir
    Path dir;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private KeyedConsumer stayer;

    @AfterEach
    void stop() {
        if (stayer != null) {
            stayer.stop();
        }
        scheduler.shutdownNow();
    }

    @Test
    void aStoppedStaticMembersPartitionsGoToTheOthersWellBeforeItsSessionTimesOut() throws Exception {
        try (KafkaBroker kafka = KafkaBroker.start(dir); Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            kafka.createTopics(TOPIC);
            Map<String, String> consumerSettings = Map.of("session.timeout.ms", String.valueOf(SESSION.toMillis()));
            KafkaClients leaving = new KafkaClients(kafka.bootstrapServers(), Map.of(), Map.of(), consumerSettings, "pod-old");
            KafkaClients staying = new KafkaClients(kafka.bootstrapServers(), Map.of(), Map.of(), consumerSettings, "pod-other");
            Set<Integer> handledByStayer = ConcurrentHashMap.newKeySet();
            try (KafkaProducer<String, byte[]> producer = staying.durableProducer("it-producer")) {
                Retry retry = new Retry(new Backoff(Duration.ofMillis(10), Duration.ofMillis(20), () -> 0.5), scheduler);
                KeyedConsumer leaver = new KeyedConsumer("it-leaver", leaving.groupConsumer(GROUP, "it-consumer", 10), List.of(TOPIC),
                        record -> CompletableFuture.completedFuture(null), new DeadLetters(producer), retry, 20);
                stayer = new KeyedConsumer("it-stayer", staying.groupConsumer(GROUP, "it-consumer", 10), List.of(TOPIC),
                        record -> {
                            handledByStayer.add(record.partition());
                            return CompletableFuture.completedFuture(null);
                        }, new DeadLetters(producer), retry, 20);
                leaver.start();
                stayer.start();
                assertTrue(Poll.until(Duration.ofSeconds(60), Duration.ofMillis(200),
                        () -> owners(admin).values().stream().filter(p -> !p.isEmpty()).count() == 2),
                        "both members never held partitions: " + owners(admin));

                long stoppedAt = System.nanoTime();
                leaver.stop();
                for (int partition = 0; partition < KafkaBroker.PARTITIONS; partition++) {
                    producer.send(new ProducerRecord<>(TOPIC, partition, "k" + partition, new byte[0])).get(10, TimeUnit.SECONDS);
                }
                Duration bound = SESSION.dividedBy(3);
                boolean taken = Poll.until(bound, Duration.ofMillis(100), () -> handledByStayer.size() == KafkaBroker.PARTITIONS);
                Duration took = Duration.ofNanos(System.nanoTime() - stoppedAt);
                assertTrue(taken, "the remaining member handled records of partitions " + handledByStayer + " only, "
                        + took.toMillis() + " ms after the other stopped; group: " + owners(admin));
                assertEquals(Map.of("pod-other.it-consumer", Set.of(0, 1, 2, 3)), owners(admin));
            }
        }
    }

    /** The group's members by group.instance.id, with the partitions each holds, once the group is stable. */
    private static Map<String, Set<Integer>> owners(Admin admin) {
        try {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP)).all().get(10, TimeUnit.SECONDS).get(GROUP);
            if (group.groupState() != GroupState.STABLE) {
                return Map.of();
            }
            return group.members().stream().collect(Collectors.toMap(m -> m.groupInstanceId().orElse(m.consumerId()),
                    StaticMemberLeavesIT::partitions));
        } catch (Exception e) {
            return Map.of("describe failed: " + e, Set.of());
        }
    }

    private static Set<Integer> partitions(MemberDescription member) {
        return member.assignment().topicPartitions().stream().map(p -> p.partition()).collect(Collectors.toSet());
    }
}
