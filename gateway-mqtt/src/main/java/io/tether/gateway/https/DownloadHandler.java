package io.tether.gateway.https;

import io.tether.contract.problem.ProblemType;
import io.tether.attachments.DownloadToken;
import io.tether.attachments.signing.Jws;
import io.tether.attachments.storage.AttachmentStore;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * {@code GET|HEAD /v1/downloads/<token>}: serves an uploaded body to whoever holds a URL Tether signed, until it
 * expires. Byte ranges (206) and a strong ETag (the body's SHA-256) let a background {@code URLSession} resume an
 * interrupted transfer ({@code Range} with {@code If-Range}).
 */
final class DownloadHandler implements Handler<RoutingContext> {
    private final Optional<Jws> jws;
    private final AttachmentStore store;

    DownloadHandler(Optional<Jws> jws, AttachmentStore store) {
        this.jws = jws;
        this.store = store;
    }

    @Override
    public void handle(RoutingContext routing) {
        HttpServerResponse response = routing.response();
        String instance = "/v1/downloads/…"; // the token is a credential: never echoed
        if (jws.isEmpty()) {
            Problems.send(response, ProblemType.UNAVAILABLE, "downloads are not enabled on this server", instance);
            return;
        }
        DownloadToken token;
        try {
            token = DownloadToken.verify(jws.get(), routing.pathParam("token"), System.currentTimeMillis());
        } catch (Jws.Refused refused) {
            if (refused.failure() == Jws.Failure.EXPIRED) {
                Problems.send(response, ProblemType.DOWNLOAD_EXPIRED, "this download URL has expired; the message it came with has "
                        + "expired too", instance);
            } else {
                Problems.send(response, ProblemType.INVALID_DOWNLOAD_URL, "this download URL " + refused.getMessage(), instance);
            }
            return;
        }
        String etag = "\"" + token.sha256() + "\"";
        String ifRange = routing.request().getHeader("If-Range");
        boolean rangeStillValid = ifRange == null || ifRange.equals(etag);
        ByteRange range = rangeStillValid ? ByteRange.of(routing.request().getHeader("Range"), token.size())
                : ByteRange.whole(token.size());
        response.putHeader(HttpHeaders.ACCEPT_RANGES, "bytes")
                .putHeader(HttpHeaders.ETAG, etag)
                .putHeader(HttpHeaders.CACHE_CONTROL, "private, max-age=" + Math.max(0, (token.expiresAt() - System.currentTimeMillis()) / 1000))
                .putHeader(HttpHeaders.EXPIRES, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        Instant.ofEpochMilli(token.expiresAt()).atZone(java.time.ZoneOffset.UTC)));
        if (!range.satisfiable()) {
            response.putHeader(HttpHeaders.CONTENT_RANGE, range.contentRange(token.size()));
            Problems.send(response, ProblemType.RANGE_NOT_SATISFIABLE, "the body has " + token.size() + " bytes", instance);
            return;
        }
        response.setStatusCode(range.partial() ? 206 : 200)
                .putHeader(HttpHeaders.CONTENT_TYPE, token.contentType())
                .putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(token.size() == 0 ? 0 : range.length()));
        if (range.partial()) {
            response.putHeader(HttpHeaders.CONTENT_RANGE, range.contentRange(token.size()));
        }
        if (routing.request().method() == HttpMethod.HEAD || token.size() == 0) {
            response.end();
            return;
        }
        stream(routing, token, range);
    }

    private void stream(RoutingContext routing, DownloadToken token, ByteRange range) {
        Context context = Vertx.currentContext();
        HttpServerResponse response = routing.response();
        store.read(token.attachmentId(), range.first(), range.last()).whenComplete((body, error) -> context.runOnContext(v -> {
            if (error == null) {
                body.subscribe(new ResponseSubscriber(response, context));
                return;
            }
            response.headers().remove(HttpHeaders.CONTENT_LENGTH).remove(HttpHeaders.CONTENT_RANGE).remove(HttpHeaders.ETAG);
            if (AttachmentStore.unwrap(error) instanceof NoSuchKeyException) {
                Problems.send(response, ProblemType.NOT_FOUND, "the body is no longer stored", "/v1/downloads/…");
            } else {
                Problems.send(response, ProblemType.UNAVAILABLE, "the body cannot be read right now, retry later", "/v1/downloads/…");
            }
        }));
    }
}
