package io.tether.gateway.https;

import io.tether.contract.problem.ProblemType;
import io.tether.attachments.FetchToken;
import io.tether.attachments.signing.Jws;
import io.tether.contract.DeviceId;
import io.tether.gateway.mqtt.DeviceAuthenticator;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Who calls the fetch endpoints: a device with its MQTT credentials (HTTP Basic, id and password, checked like an
 * MQTT CONNECT), or a fetch token from a push ({@code Bearer}). Wrong or missing credentials: 401. Right credentials
 * for another device's messages: 404, as if they did not exist, since for this caller they do not.
 */
final class DeviceAuth implements Handler<RoutingContext> {
    static final String CHALLENGE = "Basic realm=\"tether-device\", charset=\"UTF-8\"";

    private final DeviceAuthenticator authenticator;
    private final Optional<Jws> jws;

    DeviceAuth(DeviceAuthenticator authenticator, Optional<Jws> jws) {
        this.authenticator = authenticator;
        this.jws = jws;
    }

    @Override
    public void handle(RoutingContext routing) {
        String path = routing.request().path();
        String asked = routing.pathParam("id");
        String authorization = routing.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            bearer(routing, authorization.substring(7).trim(), asked, path);
        } else if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            basic(routing, authorization.substring(6).trim(), asked, path);
        } else {
            unauthorized(routing, "device credentials (Basic) or a fetch token (Bearer) are required");
        }
    }

    private void bearer(RoutingContext routing, String token, String asked, String path) {
        if (jws.isEmpty()) {
            unauthorized(routing, "fetch tokens are not enabled on this server; use the device credentials");
            return;
        }
        FetchToken claims;
        try {
            claims = FetchToken.verify(jws.get(), token, System.currentTimeMillis());
        } catch (Jws.Refused refused) {
            unauthorized(routing, "the fetch token " + refused.getMessage() + "; use the device credentials");
            return;
        }
        admit(routing, claims.deviceId(), asked, path);
    }

    private void basic(RoutingContext routing, String encoded, String asked, String path) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            unauthorized(routing, "the Basic credentials are not valid base64");
            return;
        }
        int colon = decoded.indexOf(':');
        String deviceId = colon < 0 ? decoded : decoded.substring(0, colon);
        String password = colon < 0 ? "" : decoded.substring(colon + 1);
        if (!DeviceId.isValid(deviceId)) {
            unauthorized(routing, "the device credentials are not valid");
            return;
        }
        Context context = Vertx.currentContext();
        authenticator.authenticate(deviceId, deviceId, password).whenComplete((valid, error) -> context.runOnContext(v -> {
            if (error != null) {
                Problems.send(routing.response().putHeader(HttpHeaders.RETRY_AFTER, "1"), ProblemType.UNAVAILABLE,
                        "cannot check credentials right now, retry later", path);
            } else if (!Boolean.TRUE.equals(valid)) {
                unauthorized(routing, "the device credentials are not valid");
            } else {
                admit(routing, deviceId, asked, path);
            }
        }));
    }

    private static void admit(RoutingContext routing, String deviceId, String asked, String path) {
        if (!deviceId.equals(asked)) {
            Problems.send(routing.response(), ProblemType.NOT_FOUND, "no messages of device " + asked + " for this caller", path);
            return;
        }
        routing.next();
    }

    private static void unauthorized(RoutingContext routing, String detail) {
        routing.response().headers().add("WWW-Authenticate", CHALLENGE).add("WWW-Authenticate", "Bearer realm=\"tether-device\"");
        Problems.send(routing.response(), ProblemType.UNAUTHORIZED, detail, routing.request().path());
    }
}
