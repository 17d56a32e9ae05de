package io.tether.rest.problem;

import io.tether.contract.problem.Problem;
import io.tether.contract.problem.ProblemType;

import jakarta.ws.rs.core.Response;

/** Builds {@value Problem#MEDIA_TYPE} responses; for mappers of other modules too. */
public final class ProblemResponses {
    private ProblemResponses() {
    }

    public static Response of(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    public static Response of(ProblemType type, String detail, String instance) {
        return of(Problem.of(type, detail, instance));
    }
}
