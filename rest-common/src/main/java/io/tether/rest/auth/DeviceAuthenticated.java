package io.tether.rest.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource class or method under {@code /v1/} that a device may call with its own MQTT credentials,
 * as HTTP Basic {@code <deviceId>:<password>}, besides backends with an API key. {@link ApiKeyFilter} checks
 * the device's credentials through the {@link DeviceCredentialVerifier} bean and lets the device act only on
 * itself: the path parameter named by {@link #pathParam()} must be its id (403 otherwise). A bearer API key
 * is checked as everywhere else, {@link RequiresScope} included. The resource learns who called from
 * {@link CurrentCaller}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface DeviceAuthenticated {
    /** The path parameter holding the device id the request is about. */
    String pathParam() default "id";
}
