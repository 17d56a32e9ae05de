package io.tether.rest.it;

import io.tether.rest.auth.CurrentCaller;
import io.tether.rest.auth.DeviceAuthenticated;
import io.tether.rest.auth.RequiresScope;
import io.tether.rest.auth.Scopes;
import io.tether.rest.problem.ProblemException;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Resources that exercise rest-common the way services use it. */
public class TestResources {

    public record EchoBody(@NotNull @Pattern(regexp = "ios|macos", message = "must be ios or macos") String platform,
                           Integer count,
                           List<@Pattern(regexp = "[a-z]+") String> tags) {
    }

    @Path("/v1/echo")
    @Produces(MediaType.APPLICATION_JSON)
    @Consumes(MediaType.APPLICATION_JSON)
    public static class Echo {
        @POST
        public EchoBody echo(@NotNull @Valid EchoBody body) {
            return body;
        }

        /** The same on the event loop: Quarkus REST reads such a body ahead, then streams the rest on a worker. */
        @POST
        @Path("later")
        public CompletionStage<EchoBody> echoLater(@NotNull @Valid EchoBody body) {
            return CompletableFuture.completedFuture(body);
        }
    }

    @Path("/v1/problems")
    @Produces(MediaType.APPLICATION_JSON)
    public static class Problems {
        @GET
        @Path("{kind}")
        public String fail(@PathParam("kind") String kind) {
            switch (kind) {
                case "not-found" -> throw new NotFoundException("internal detail of not-found");
                case "conflict" -> throw ProblemException.conflict("device exists");
                case "boom" -> throw new IllegalStateException("secret internal detail");
                default -> {
                    return kind;
                }
            }
        }

        @GET
        @Path("async/{kind}")
        public CompletionStage<String> failLater(@PathParam("kind") String kind) {
            // how a store's failed stage arrives: wrapped by the composition that produced it
            return CompletableFuture.supplyAsync(() -> kind).thenApply(k -> {
                if (k.equals("conflict")) {
                    throw ProblemException.conflict("device exists");
                }
                throw new IllegalStateException("secret internal detail");
            });
        }
    }

    @Path("/v1/caller")
    public static class Caller {
        @Inject
        CurrentCaller caller;

        @GET
        @Produces(MediaType.TEXT_PLAIN)
        public String keyId() {
            return caller.principal().orElseThrow().keyId();
        }
    }

    /** Devices may call it with their own credentials, backends with devices:write. */
    @Path("/v1/things/{id}/signal")
    @DeviceAuthenticated
    @RequiresScope(Scopes.DEVICES_WRITE)
    public static class DeviceSignal {
        @Inject
        CurrentCaller caller;

        @GET
        @Produces(MediaType.TEXT_PLAIN)
        public String whoCalled(@PathParam("id") String id) {
            return caller.device().map(device -> "device " + device)
                    .orElseGet(() -> "key " + caller.principal().orElseThrow().keyId());
        }
    }

    @Path("/v1/scoped")
    @Produces(MediaType.TEXT_PLAIN)
    @RequiresScope(Scopes.DEVICES_READ)
    public static class Scoped {
        @GET
        @Path("read")
        public String read() {
            return "read";
        }

        @GET
        @Path("either")
        @RequiresScope({Scopes.MESSAGES_SEND, Scopes.DEVICES_READ})
        public String either() {
            return "either";
        }
    }

    /** No @RequiresScope: admin only. */
    @Path("/v1/unannotated")
    public static class Unannotated {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        public String get() {
            return "admin";
        }
    }

    @Path("/open/ping")
    public static class Open {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        public String ping() {
            return "pong";
        }
    }
}
