package io.tether.contract;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An app push-service holds APNs credentials for, as it publishes them in {@link RedisKeys#pushApps()} (app id →
 * this record as JSON) when it starts. The registry and fanout read them to refuse, up front, devices and sends
 * that no credentials could reach.
 *
 * @param appId        the bundle id devices register with, or {@link #ANY} for an app that stands for every bundle
 *                     id (a local or test APNs only)
 * @param name         the configuration name in push-service
 * @param auth         token or certificate
 * @param environments the APNs environments its credentials may use: production, sandbox
 * @param pushTypes    the apns-push-type values it may send (Pushy's header values)
 * @param topics       the apns-topic values that follow (bundle id, with Apple's suffixes for the push types)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PushApp(String appId, String name, String auth, List<String> environments, List<String> pushTypes,
        List<String> topics) {
    /** The app id of a catch-all app. */
    public static final String ANY = "*";

    public PushApp {
        environments = environments == null ? List.of() : List.copyOf(environments);
        pushTypes = pushTypes == null ? List.of() : List.copyOf(pushTypes);
        topics = topics == null ? List.of() : List.copyOf(topics);
    }

    public boolean allowsPushType(String pushType) {
        return pushTypes.contains(pushType);
    }

    public boolean allowsEnvironment(String environment) {
        return environments.contains(environment);
    }

    @JsonIgnore
    public boolean isCatchAll() {
        return ANY.equals(appId);
    }

    public String toJson() {
        return Json.toString(this);
    }

    public static PushApp fromJson(String json) {
        return Json.fromString(json, PushApp.class);
    }

    /**
     * The app that serves {@code appId} in a catalog read from {@link RedisKeys#pushApps()}: its own entry, else
     * the catch-all one; empty when no credentials reach it.
     */
    public static Optional<PushApp> lookup(Map<String, String> catalog, String appId) {
        String json = appId == null ? null : catalog.get(appId);
        if (json == null) {
            json = catalog.get(ANY);
        }
        return json == null ? Optional.empty() : Optional.of(fromJson(json));
    }
}
