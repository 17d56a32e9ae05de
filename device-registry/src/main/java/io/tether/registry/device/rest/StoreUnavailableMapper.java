package io.tether.registry.device.rest;

import io.tether.registry.device.ConcurrentChangeException;
import io.tether.registry.store.StoreUnavailableException;
import io.tether.rest.problem.ProblemResponses;
import io.tether.runtime.failure.ThrottledLog;
import io.tether.contract.problem.ProblemType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The registry's own failures: Redis down or slow (503 with Retry-After), a device changing under a write (409). */
public class StoreUnavailableMapper {
    private static final Logger LOG = Logger.getLogger(StoreUnavailableMapper.class);
    /** While Redis is down every request ends here (counted in http_server_requests): one line per interval. */
    private static final ThrottledLog UNAVAILABLE = ThrottledLog.warnings(LOG, Duration.ofSeconds(10));

    @ServerExceptionMapper
    public Response unavailable(StoreUnavailableException e, UriInfo uri) {
        UNAVAILABLE.warnf("%s: %s", uri.getRequestUri().getRawPath(), e.getCause() == null ? e.getMessage() : e.getCause().getClass().getSimpleName());
        return Response.fromResponse(ProblemResponses.of(ProblemType.UNAVAILABLE, "device store unavailable, retry later",
                uri.getRequestUri().getRawPath())).header("Retry-After", "1").build();
    }

    @ServerExceptionMapper
    public Response concurrentChange(ConcurrentChangeException e, UriInfo uri) {
        return ProblemResponses.of(ProblemType.CONFLICT, e.getMessage(), uri.getRequestUri().getRawPath());
    }
}
