package io.tether.runtime.quarkus;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.inject.Singleton;

/**
 * Every service's plain-HTTP listener speaks HTTP/1.1 only: a client asking to upgrade to HTTP/2 ({@code Upgrade: h2c}, as the
 * JDK's HttpClient does by default) is answered in HTTP/1.1, which RFC 9110 allows. Why: an upgrade request's body
 * must be sent whole as HTTP/1.1 before HTTP/2 starts (RFC 7540 §3.2), yet Vert.x feeds it to the upgraded HTTP/2
 * stream, whose flow control the client is not listening to yet. A streamed {@code POST /v1/attachments} of 100 MB,
 * read only as fast as S3 takes it, then stalled until the client timed out, and a large {@code /q/metrics} page came
 * back as a framing error. HTTP/2 over TLS (ALPN) is unchanged.
 */
@Singleton
public class NoCleartextUpgrade implements HttpServerOptionsCustomizer {
    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.setHttp2ClearTextEnabled(false);
    }
}
