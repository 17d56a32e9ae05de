package io.tether.registry.device.rest;

import io.tether.registry.device.DeviceService;
import io.tether.rest.problem.ProblemException;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /v1/devices}. Every method returns a CompletionStage, so Quarkus REST runs it on the event
 * loop: nothing here may block.
 */
@Path("/v1/devices")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "devices")
@SecurityScheme(securitySchemeName = "apiKey", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "Backend API key")
@SecurityRequirement(name = "apiKey")
public class DeviceResource {
    private final DeviceService devices;

    @Inject
    public DeviceResource(DeviceService devices) {
        this.devices = devices;
    }

    @POST
    @Operation(summary = "Register a device", description = "Answers 201 with the device's MQTT credentials. "
            + "The password is shown only here: the registry keeps its SHA-256 alone.")
    public CompletionStage<Response> create(@NotNull(message = "a JSON body is required") @Valid CreateDeviceRequest body) {
        return devices.register(body.toNewDevice()).thenApply(registered -> Response.status(Response.Status.CREATED)
                .header(HttpHeaders.LOCATION, "/v1/devices/" + registered.device().id())
                .header(HttpHeaders.CACHE_CONTROL, "no-store") // carries a password
                .entity(DeviceResponse.created(registered))
                .build());
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Look up a device")
    public CompletionStage<DeviceResponse> get(@PathParam("id") String id) {
        return devices.find(id).thenApply(device -> device.map(DeviceResponse::of).orElseThrow(() -> notFound()));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Remove a device", description = "Removes the record and the user's index entry together.")
    public CompletionStage<Response> delete(@PathParam("id") String id) {
        return devices.delete(id).thenApply(deleted -> {
            if (!deleted) {
                throw notFound();
            }
            return Response.noContent().build();
        });
    }

    private static ProblemException notFound() {
        // The id is not echoed: it arrived in the path and may be anything.
        return ProblemException.notFound("no such device");
    }
}
