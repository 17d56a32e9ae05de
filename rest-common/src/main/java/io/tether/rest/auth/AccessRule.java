package io.tether.rest.auth;

import jakarta.ws.rs.container.ResourceInfo;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a resource method asks of its caller, read once per method from {@link RequiresScope} and
 * {@link DeviceAuthenticated} (method first, then class).
 *
 * @param scopes          any one of them is enough; {@link Scopes#ADMIN} when nothing is declared
 * @param devicePathParam the path parameter a device caller must match, or null when devices may not call
 */
record AccessRule(String[] scopes, String devicePathParam) {
    private static final AccessRule ADMIN_ONLY = new AccessRule(new String[] {Scopes.ADMIN}, null);
    private static final Map<Method, AccessRule> RULES = new ConcurrentHashMap<>();

    static AccessRule of(ResourceInfo resource) {
        if (resource == null || resource.getResourceMethod() == null || resource.getResourceClass() == null) {
            return ADMIN_ONLY;
        }
        return RULES.computeIfAbsent(resource.getResourceMethod(), method -> read(method, resource.getResourceClass()));
    }

    boolean devicesMayCall() {
        return devicePathParam != null;
    }

    String describeScopes() {
        return String.join(" or ", scopes);
    }

    private static AccessRule read(Method method, Class<?> type) {
        RequiresScope scope = method.getAnnotation(RequiresScope.class);
        if (scope == null) {
            scope = type.getAnnotation(RequiresScope.class);
        }
        DeviceAuthenticated device = method.getAnnotation(DeviceAuthenticated.class);
        if (device == null) {
            device = type.getAnnotation(DeviceAuthenticated.class);
        }
        String[] scopes = scope == null || scope.value().length == 0 ? new String[] {Scopes.ADMIN} : scope.value().clone();
        return new AccessRule(scopes, device == null ? null : device.pathParam());
    }
}
