package io.tether.fanout.app;

import io.lettuce.core.api.StatefulRedisConnection;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.tether.attachments.AttachmentsConfig;
import io.tether.attachments.signing.Jws;
import io.tether.attachments.storage.AttachmentStore;
import io.tether.fanout.attachments.AttachmentRecords;
import io.tether.fanout.attachments.AttachmentSweeper;
import io.tether.fanout.attachments.AttachmentUploads;
import io.tether.fanout.attachments.MessageAttachments;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/** Attachments in fanout: uploads into object storage, descriptors for messages, deletion of expired bodies. */
@ApplicationScoped
public class AttachmentsApp {
    private static final Logger LOG = Logger.getLogger(AttachmentsApp.class);

    private final AttachmentsConfig config;
    private final AttachmentStore store;
    private final AttachmentRecords records;
    private final Optional<Jws> jws;
    private final AttachmentSweeper sweeper;

    AttachmentsApp(AttachmentsConfig config, StatefulRedisConnection<String, String> redis) {
        this.config = config;
        AttachmentsConfig.S3 s3 = config.s3();
        this.store = AttachmentStore.create(s3.endpoint(), s3.region(), s3.bucket(), s3.pathStyle(), s3.accessKeyId(),
                s3.secretAccessKey(), s3.partSizeBytes());
        this.records = new AttachmentRecords(redis.async());
        this.jws = Jws.fromConfig(config);
        this.sweeper = new AttachmentSweeper(store, records, config.deletionGrace().toMillis());
    }

    void start(@Observes StartupEvent event) throws Exception {
        if (config.s3().createBucket()) {
            store.ensureBucket().get(30, TimeUnit.SECONDS);
        }
        LOG.infof("attachments: bucket %s, %s", store.bucket(),
                jws.map(j -> "signing with key " + j.keys().current().getKeyID()).orElse("no signing keys (descriptors off)"));
    }

    void stop(@Observes ShutdownEvent event) {
        store.close();
    }

    @Produces
    @Singleton
    AttachmentUploads uploads() {
        return new AttachmentUploads(store, records, config.unsentTtl());
    }

    @Produces
    @Singleton
    MessageAttachments messageAttachments() {
        return new MessageAttachments(jws, config.publicUrl(), records);
    }

    @Scheduled(every = "${tether.fanout.sweep-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    CompletionStage<Void> deleteExpiredBodies() {
        return sweeper.sweep(System.currentTimeMillis()).handle((deleted, error) -> {
            if (error != null) {
                LOG.warnf("deleting expired attachment bodies failed (retried next time): %s", error.getMessage());
            }
            return null;
        });
    }
}
