package io.tether.registry.device.rest;

import io.tether.registry.device.StoreUnavailableException;
import io.tether.rest.problem.ProblemResponses;
import io.tether.rest.problem.ProblemType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Redis down or slow: 503 with Retry-After, so clients retry instead of treating it as a bug. */
public class StoreUnavailableMapper {
    private static final Logger LOG = Logger.getLogger(StoreUnavailableMapper.class);

    @ServerExceptionMapper
    public Response unavailable(StoreUnavailableException e, UriInfo uri) {
        LOG.warnf("%s: %s", uri.getRequestUri().getRawPath(), e.getCause() == null ? e.getMessage() : e.getCause().toString());
        return Response.fromResponse(ProblemResponses.of(ProblemType.UNAVAILABLE, "device store unavailable, retry later",
                uri.getRequestUri().getRawPath())).header("Retry-After", "1").build();
    }
}
