package io.tether.registry.device.rest;

import static io.tether.registry.support.TestApi.PROBLEM_JSON;
import static io.tether.registry.support.TestApi.admin;
import static io.tether.registry.support.TestApi.anonymous;
import static io.tether.registry.support.TestApi.bearer;
import static io.tether.registry.support.TestApi.device;
import static io.tether.registry.support.TestApi.key;
import static io.tether.registry.support.TestApi.unique;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.tether.contract.DeviceId;
import io.tether.testkit.TetherInfraResource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** GET /v1/devices and GET /v1/users/{userId}/devices: cursor paging and filters. */
@QuarkusTest
@QuarkusTestResource(value = TetherInfraResource.class, restrictToAnnotatedClass = false)
class DeviceListIT {

    /** Follows next until the last page; answers every page's ids. */
    private static List<List<String>> pages(String path, UnaryOperator<RequestSpecification> query) {
        List<List<String>> pages = new ArrayList<>();
        String cursor = null;
        do {
            RequestSpecification request = query.apply(admin());
            if (cursor != null) {
                request = request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get(path).then().statusCode(200).extract().jsonPath();
            pages.add(page.getList("items.id"));
            cursor = page.getString("next");
            assertTrue(pages.size() < 1000, "paging must end");
        } while (cursor != null);
        return pages;
    }

    private static List<String> flat(List<List<String>> pages) {
        return pages.stream().flatMap(List::stream).toList();
    }

    @Test
    void pagesThroughAnAppInIdOrderWithoutGapsOrRepeats() {
        String app = unique("com.example.paging");
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            created.add(device("ios", app, null).id());
        }

        List<List<String>> pages = pages("/v1/devices", r -> r.queryParam("appId", app).queryParam("limit", 3));

        assertEquals(List.of(3, 3, 1), pages.stream().map(List::size).toList());
        List<String> ids = flat(pages);
        assertEquals(created, new HashSet<>(ids));
        assertEquals(ids.stream().sorted().toList(), ids, "id order");
    }

    @Test
    void aFullLastPageHasNoNext() {
        String app = unique("com.example.exact");
        for (int i = 0; i < 4; i++) {
            device("macos", app, null);
        }
        List<List<String>> pages = pages("/v1/devices", r -> r.queryParam("appId", app).queryParam("limit", 2));
        assertEquals(List.of(2, 2), pages.stream().map(List::size).toList());
    }

    @Test
    void withoutFiltersEveryDeviceIsListedOnce() {
        String app = unique("com.example.all");
        Set<String> mine = Set.of(device("tvos", app, null).id(), device("ios", app, null).id());
        List<String> all = flat(pages("/v1/devices", r -> r.queryParam("limit", 500)));
        assertEquals(all.size(), new HashSet<>(all).size(), "no repeats");
        assertTrue(all.containsAll(mine));
    }

    @Test
    void filtersCombine() {
        String app = unique("com.example.filters");
        String user = unique("carol");
        String watch = device("watchos", app, user).id();
        String phone = device("ios", app, user).id();
        String otherUsersWatch = device("watchos", app, unique("dave")).id();
        device("watchos", unique("com.example.elsewhere"), user);

        admin().queryParam("appId", app).queryParam("platform", "watchos").get("/v1/devices").then()
                .statusCode(200)
                .body("items.id", containsInAnyOrder(watch, otherUsersWatch));
        admin().queryParam("appId", app).queryParam("userId", user).get("/v1/devices").then()
                .statusCode(200)
                .body("items.id", containsInAnyOrder(watch, phone));
        admin().queryParam("appId", app).queryParam("userId", user).queryParam("platform", "ios").get("/v1/devices").then()
                .statusCode(200)
                .body("items.id", containsInAnyOrder(phone))
                .body("items[0].platform", equalTo("ios"))
                .body("items[0]", not(hasKey("mqtt")));
    }

    @Test
    void filteredPagesAreStillComplete() {
        String app = unique("com.example.sparse");
        Set<String> watches = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            String id = device(i % 2 == 0 ? "watchos" : "ios", app, null).id();
            if (i % 2 == 0) {
                watches.add(id);
            }
        }
        List<String> listed = flat(pages("/v1/devices", r -> r.queryParam("appId", app).queryParam("platform", "watchos")
                .queryParam("limit", 2)));
        assertEquals(watches, new HashSet<>(listed));
        assertEquals(3, listed.size());
    }

    @Test
    void aUsersDevicesArePaged() {
        String user = unique("erin");
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            created.add(device(i < 3 ? "ios" : "macos", unique("com.example.u"), user).id());
        }
        List<List<String>> pages = pages("/v1/users/" + user + "/devices", r -> r.queryParam("limit", 2));
        assertEquals(List.of(2, 2, 1), pages.stream().map(List::size).toList());
        assertEquals(created, new HashSet<>(flat(pages)));
        admin().get("/v1/users/" + user + "/devices").then().statusCode(200).body("items.userId", everyItem(equalTo(user)));
    }

    @Test
    void aUserWithoutDevicesHasNoneAndAnImpossibleUserIsNotFound() {
        admin().get("/v1/users/" + unique("nobody") + "/devices").then()
                .statusCode(200)
                .body("items", empty())
                .body("$", not(hasKey("next")));
        admin().get("/v1/users/not%7Ba%7Duser/devices").then()
                .statusCode(404)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:tether:problem:not-found"));
    }

    @Test
    void badQueryParametersAreNamed() {
        admin().queryParam("limit", 0).queryParam("platform", "android").queryParam("userId", "{x}")
                .queryParam("appId", "bad app").queryParam("cursor", "not-a-cursor")
                .get("/v1/devices").then()
                .statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:tether:problem:validation"))
                .body("errors.field", containsInAnyOrder("limit", "platform", "userId", "appId", "cursor"));
        admin().queryParam("limit", "many").get("/v1/devices").then().statusCode(400).body("errors.field", containsInAnyOrder("limit"));
        admin().queryParam("limit", 501).get("/v1/devices").then().statusCode(400);
        // a cursor must be one this API issued: base64 of a device id alone is not
        String forged = Base64.getUrlEncoder().encodeToString(DeviceId.random().getBytes());
        admin().queryParam("cursor", forged).get("/v1/devices").then().statusCode(400).body("errors.field", containsInAnyOrder("cursor"));
        admin().queryParam("limit", 0).get("/v1/users/" + unique("u") + "/devices").then()
                .statusCode(400).body("errors.field", containsInAnyOrder("limit"));
    }

    @Test
    void listingNeedsDevicesReadOrWrite() {
        anonymous().get("/v1/devices").then().statusCode(401).contentType(PROBLEM_JSON);
        anonymous().get("/v1/users/u1/devices").then().statusCode(401);
        String sender = key("messages:send");
        bearer(sender).get("/v1/devices").then()
                .statusCode(403)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:tether:problem:forbidden"));
        bearer(sender).get("/v1/users/u1/devices").then().statusCode(403);
        bearer(key("devices:read")).queryParam("limit", 1).get("/v1/devices").then().statusCode(200);
        bearer(key("devices:write")).queryParam("limit", 1).get("/v1/users/u1/devices").then().statusCode(200);
    }
}
