package io.tether.webhook.delivery;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body nobody reads: the response is complete as soon as its status and headers are in, and the body's
 * subscription is cancelled at once (the JDK client then closes the connection instead of reading a body that may
 * never end).
 */
final class StatusOnly implements HttpResponse.BodySubscriber<Void> {
    static final HttpResponse.BodyHandler<Void> HANDLER = info -> new StatusOnly();

    private static final CompletableFuture<Void> NOTHING = CompletableFuture.completedFuture(null);

    @Override
    public CompletionStage<Void> getBody() {
        return NOTHING;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        subscription.cancel();
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
    }

    @Override
    public void onError(Throwable throwable) {
    }

    @Override
    public void onComplete() {
    }
}
