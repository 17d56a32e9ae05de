package io.tether.gateway.https;

import io.tether.contract.Json;
import io.tether.contract.problem.Problem;
import io.tether.contract.problem.ProblemType;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/**
 * The device endpoint's errors: the same {@code application/problem+json} documents and {@code type} URNs as the REST
 * APIs. The detail says what was wrong, never a secret or a token.
 */
final class Problems {
    private Problems() {
    }

    static void send(HttpServerResponse response, ProblemType type, String detail, String instance) {
        if (response.headWritten() || response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(type.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(Json.toString(Problem.of(type, detail, instance)));
    }
}
