package io.tether.runtime.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the topics a service needs from the one {@link TopicLayout}, and checks the ones that exist against it.
 * Every service does this at start-up, so whichever starts first creates them and the others verify: a topic with
 * another partition count, replication factor or {@code min.insync.replicas} than configured is a start-up error
 * naming both values, never a silent difference.
 */
public final class TopicProvisioner {
    private static final long TIMEOUT_SECONDS = 30;
    /** Between two descriptions of topics the broker did not know yet. */
    private static final long UNKNOWN_TOPIC_PAUSE_MILLIS = 100;

    private final Admin admin;
    private final TopicLayout layout;

    public TopicProvisioner(Admin admin, TopicLayout layout) {
        this.admin = admin;
        this.layout = layout;
    }

    /** Blocks until the topics exist and match the layout (at start-up, never on an event loop). */
    public void ensure(Collection<String> names) {
        try {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String name : new TreeSet<>(names)) {
                if (!existing.contains(name)) {
                    missing.add(new NewTopic(name, layout.partitions(), layout.replicationFactor())
                            .configs(Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(layout.minInsyncReplicas()))));
                }
            }
            create(missing);
            verify(names);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create or describe Kafka topics " + names + ": " + e.getMessage(), e);
        }
    }

    public void ensure(String... names) {
        ensure(List.of(names));
    }

    private void create(List<NewTopic> missing) throws InterruptedException, ExecutionException, TimeoutException {
        if (missing.isEmpty()) {
            return;
        }
        for (var result : admin.createTopics(missing).values().values()) {
            try {
                result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e; // another service created it at the same moment: verified below
                }
            }
        }
    }

    private void verify(Collection<String> names) throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        Map<String, TopicDescription> described = onceKnown(deadline,
                () -> admin.describeTopics(names).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        List<ConfigResource> resources = names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
        Map<ConfigResource, Config> configs = onceKnown(deadline,
                () -> admin.describeConfigs(resources).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        List<String> mismatches = new ArrayList<>();
        for (String name : new TreeSet<>(names)) {
            TopicDescription topic = described.get(name);
            int partitions = topic.partitions().size();
            int replicas = topic.partitions().get(0).replicas().size();
            ConfigEntry minIsr = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name)).get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
            mismatches.addAll(TopicCheck.mismatches(name, layout, partitions, replicas,
                    minIsr == null ? -1 : Integer.parseInt(minIsr.value())));
        }
        if (!mismatches.isEmpty()) {
            throw new IllegalStateException("Kafka topics do not match the configured layout (tether.kafka.topics.*): "
                    + String.join("; ", mismatches) + ". Either configure the layout the topics have, or recreate the "
                    + "topics (partitions can be added with kafka-topics --alter, which moves devices between fanout "
                    + "consumers: do it with fanout stopped).");
        }
    }

    /** One description of the topics, as the blocking calls above make it. */
    interface Description<T> {
        T get() throws InterruptedException, ExecutionException, TimeoutException;
    }

    /**
     * The description once the broker knows every topic: a topic created a moment ago (here or by another service) can
     * be unknown to the broker that answers until its metadata has caught up (UnknownTopicOrPartitionException), so
     * that answer is asked again until {@code deadline} (System.nanoTime); any other failure ends at once. Start-up only.
     */
    static <T> T onceKnown(long deadline, Description<T> describe) throws InterruptedException, ExecutionException, TimeoutException {
        while (true) {
            try {
                return describe.get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() - deadline > 0) {
                    throw e;
                }
            }
            Thread.sleep(UNKNOWN_TOPIC_PAUSE_MILLIS); // start-up, never an event loop: the broker needs a moment
        }
    }
}
