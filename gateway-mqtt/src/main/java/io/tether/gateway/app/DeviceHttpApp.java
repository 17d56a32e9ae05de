package io.tether.gateway.app;

import io.lettuce.core.api.StatefulRedisConnection;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tether.attachments.AttachmentsConfig;
import io.tether.attachments.signing.Jws;
import io.tether.attachments.storage.AttachmentStore;
import io.tether.gateway.config.DeviceHttpConfig;
import io.tether.gateway.config.MqttConfig;
import io.tether.gateway.https.DeviceEndpoint;
import io.tether.inbox.DeviceInbox;
import io.tether.inbox.config.InboxConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/** Starts the device HTTPS endpoint (when {@code tether.device-http.port} is set), after the MQTT side is up. */
@ApplicationScoped
public class DeviceHttpApp {
    private static final Logger LOG = Logger.getLogger(DeviceHttpApp.class);

    private final Vertx vertx;
    private final DeviceHttpConfig http;
    private final MqttConfig mqtt;
    private final AttachmentsConfig attachments;
    private final InboxConfig inbox;
    private final StatefulRedisConnection<String, String> redis;
    private final GatewayApp gateway;
    private HttpServer server;
    private AttachmentStore store;

    DeviceHttpApp(Vertx vertx, DeviceHttpConfig http, MqttConfig mqtt, AttachmentsConfig attachments, InboxConfig inbox,
            StatefulRedisConnection<String, String> redis, GatewayApp gateway) {
        this.inbox = inbox;
        this.vertx = vertx;
        this.http = http;
        this.mqtt = mqtt;
        this.attachments = attachments;
        this.redis = redis;
        this.gateway = gateway;
    }

    void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent event) throws Exception {
        if (http.port() <= 0) {
            return;
        }
        AttachmentsConfig.S3 s3 = attachments.s3();
        store = AttachmentStore.create(s3.endpoint(), s3.region(), s3.bucket(), s3.pathStyle(), s3.accessKeyId(),
                s3.secretAccessKey(), s3.partSizeBytes());
        Optional<Jws> jws = Jws.fromConfig(attachments);
        var router = DeviceEndpoint.router(vertx, new DeviceInbox(redis.async(), inbox.settings()),
                gateway.deviceAuthenticator(), jws, store, http.maxFetch());
        server = vertx.createHttpServer(Listeners.deviceHttp(mqtt, http)).requestHandler(router);
        server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        LOG.infof("device %s endpoint on %s:%d (fetch, downloads, %s)", http.tls() ? "HTTPS" : "HTTP", mqtt.host(), server.actualPort(),
                jws.map(j -> "keys " + j.keys().keyIds()).orElse("no signing keys"));
    }

    void stop(@Observes ShutdownEvent event) throws Exception {
        if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (store != null) {
            store.close();
        }
    }
}
