package io.tether.gateway.https;

import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.nio.ByteBuffer;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Writes a body that object storage streams to an HTTP response, no faster than the device reads it: more is
 * requested only while the response's write queue has room. A device that goes away cancels the read; a read that
 * fails midway resets the response, so the device sees a broken transfer and resumes it with a Range request.
 */
final class ResponseSubscriber implements Subscriber<ByteBuffer> {
    private static final int IN_FLIGHT = 8;

    private final HttpServerResponse response;
    private final Context context;
    private Subscription subscription;
    private boolean closed;

    ResponseSubscriber(HttpServerResponse response, Context context) {
        this.response = response;
        this.context = context;
    }

    @Override
    public void onSubscribe(Subscription s) {
        context.runOnContext(v -> {
            subscription = s;
            response.closeHandler(x -> {
                closed = true;
                s.cancel();
            });
            response.drainHandler(x -> {
                if (!closed) {
                    s.request(IN_FLIGHT);
                }
            });
            s.request(IN_FLIGHT);
        });
    }

    @Override
    public void onNext(ByteBuffer chunk) {
        context.runOnContext(v -> {
            if (closed) {
                return;
            }
            response.write(Buffer.buffer(Unpooled.wrappedBuffer(chunk)));
            if (!response.writeQueueFull()) {
                subscription.request(1);
            }
        });
    }

    @Override
    public void onError(Throwable error) {
        context.runOnContext(v -> {
            if (!closed) {
                closed = true;
                response.reset();
            }
        });
    }

    @Override
    public void onComplete() {
        context.runOnContext(v -> {
            if (!closed) {
                response.end();
            }
        });
    }
}
