package io.tether.gateway.https;

import io.tether.contract.problem.ProblemType;
import io.tether.attachments.signing.Jws;
import io.tether.attachments.storage.AttachmentStore;
import io.tether.contract.attachment.AttachmentWire;
import io.tether.gateway.mqtt.DeviceAuthenticator;
import io.tether.inbox.Inbox;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Optional;

/**
 * The routes of the device HTTPS endpoint, served where devices already connect (the gateway, with the MQTT TLS
 * certificates and SNI): Tether's public keys, the device fetch, and signed downloads. Separate from the backends'
 * REST API, which devices never reach.
 */
public final class DeviceEndpoint {
    private static final int ACK_BODY_LIMIT = 16 * 1024;

    private DeviceEndpoint() {
    }

    public static Router router(Vertx vertx, Inbox inbox, DeviceAuthenticator authenticator, Optional<Jws> jws,
            AttachmentStore store, int maxFetch) {
        Router router = Router.router(vertx);
        String jwks = jws.map(j -> j.keys().jwks()).orElse("{\"keys\":[]}");
        router.get(AttachmentWire.JWKS_PATH).handler(routing -> routing.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/jwk-set+json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "public, max-age=300")
                .end(jwks));

        DeviceAuth auth = new DeviceAuth(authenticator, jws);
        FetchHandler fetch = new FetchHandler(inbox, maxFetch);
        router.get("/v1/devices/:id/messages").handler(auth).handler(fetch::list);
        router.post("/v1/devices/:id/messages/ack").handler(BodyHandler.create(false).setBodyLimit(ACK_BODY_LIMIT))
                .handler(auth).handler(fetch::acknowledge);

        DownloadHandler downloads = new DownloadHandler(jws, store);
        router.route(HttpMethod.GET, AttachmentWire.DOWNLOADS_PATH + ":token").handler(downloads);
        router.route(HttpMethod.HEAD, AttachmentWire.DOWNLOADS_PATH + ":token").handler(downloads);

        router.route().last().handler(routing -> Problems.send(routing.response(), ProblemType.NOT_FOUND,
                "no such resource on the device endpoint", routing.request().path()));
        router.route().failureHandler(routing -> {
            int status = routing.statusCode();
            if (status == 413) {
                Problems.send(routing.response(), ProblemType.PAYLOAD_TOO_LARGE, "the body is too large", routing.request().path());
            } else {
                Problems.send(routing.response(), ProblemType.INTERNAL, "the request failed", routing.request().path());
            }
        });
        return router;
    }
}
