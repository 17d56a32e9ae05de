package io.tether.rest.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The scopes ({@link Scopes}) an API key needs for a {@code /v1/} resource method; any one of them is enough.
 * A method annotation replaces its class's. Enforced by {@link ApiKeyFilter}, which answers 403
 * {@code urn:tether:problem:forbidden} otherwise. A {@code /v1/} method with no annotation at all needs
 * {@link Scopes#ADMIN}: closed unless opened on purpose. Device callers ({@link DeviceAuthenticated}) have
 * no scopes; this annotation does not apply to them.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RequiresScope {
    String[] value();
}
