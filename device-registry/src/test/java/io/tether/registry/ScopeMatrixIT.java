package io.tether.registry;

import static io.tether.registry.support.TestApi.anonymous;
import static io.tether.registry.support.TestApi.bearer;
import static io.tether.registry.support.TestApi.device;
import static io.tether.registry.support.TestApi.key;
import static io.tether.registry.support.TestApi.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.tether.testkit.TetherInfraResource;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every registry endpoint against keys of every scope: 401 without a key, 403 without the scope it needs. */
@QuarkusTest
@QuarkusTestResource(value = TetherInfraResource.class, restrictToAnnotatedClass = false)
class ScopeMatrixIT {
    private static final Set<String> READ = Set.of("devices:read", "devices:write", "admin");
    private static final Set<String> WRITE = Set.of("devices:write", "admin");
    private static final Set<String> ADMIN = Set.of("admin");

    private record Endpoint(String method, String path, Set<String> allowed) {
    }

    private List<Endpoint> endpoints;

    @BeforeEach
    void registerADevice() {
        String id = device("ios", unique("com.example.matrix"), null).id();
        String d = "/v1/devices/" + id;
        String u = "/v1/users/" + unique("matrix");
        endpoints = List.of(
                new Endpoint("POST", "/v1/devices", WRITE),
                new Endpoint("GET", "/v1/devices", READ),
                new Endpoint("GET", d, READ),
                new Endpoint("PATCH", d, WRITE),
                new Endpoint("PUT", d + "/push-token", WRITE),
                new Endpoint("DELETE", d + "/push-token", WRITE),
                new Endpoint("PUT", d + "/grants", WRITE),
                new Endpoint("GET", d + "/grants", READ),
                new Endpoint("DELETE", d + "/grants", WRITE),
                new Endpoint("POST", d + "/credentials/rotate", WRITE),
                new Endpoint("POST", d + "/credentials/revoke", WRITE),
                new Endpoint("GET", u + "/devices", READ),
                new Endpoint("PUT", u + "/grants", WRITE),
                new Endpoint("GET", u + "/grants", READ),
                new Endpoint("DELETE", u + "/grants", WRITE),
                new Endpoint("POST", "/v1/api-keys", ADMIN),
                new Endpoint("GET", "/v1/api-keys", ADMIN),
                new Endpoint("DELETE", "/v1/api-keys/ak_0000000000000000", ADMIN),
                new Endpoint("DELETE", d, WRITE));
    }

    private static int call(RequestSpecification request, Endpoint endpoint) {
        // An empty body: the scope check comes before the body is read, so a 400 means "allowed".
        return request.body("{}").request(endpoint.method(), endpoint.path()).statusCode();
    }

    @Test
    void withoutAKeyEveryEndpointIs401() {
        for (Endpoint endpoint : endpoints) {
            assertEquals(401, call(anonymous(), endpoint), endpoint.toString());
        }
    }

    @Test
    void eachScopeOpensExactlyItsEndpoints() {
        for (String scope : List.of("messages:send", "devices:read", "devices:write", "admin")) {
            String key = key(scope);
            for (Endpoint endpoint : endpoints) {
                int status = call(bearer(key), endpoint);
                if (endpoint.allowed().contains(scope)) {
                    assertNotEquals(403, status, scope + " " + endpoint);
                    assertNotEquals(401, status, scope + " " + endpoint);
                } else {
                    assertEquals(403, status, scope + " " + endpoint);
                }
            }
        }
    }
}
