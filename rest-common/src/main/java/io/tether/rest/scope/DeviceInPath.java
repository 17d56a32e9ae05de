package io.tether.rest.scope;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The endpoint's path names a device (in the path parameter {@link #value()}): a key limited to some apps gets 404
 * for a device of another app, before the endpoint runs ({@link DeviceAppScopeFilter}).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface DeviceInPath {
    String value() default "id";
}
