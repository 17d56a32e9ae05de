package io.tether.registry.device.rest;

import java.util.regex.Pattern;

/** Formats of device fields the API accepts; one place, so create, PATCH and filters agree. */
public final class Fields {
    public static final String PLATFORM = "ios|ipados|macos|tvos|watchos";
    public static final String PLATFORM_MESSAGE = "must be one of ios, ipados, macos, tvos, watchos";
    public static final String APP_ID = "[A-Za-z0-9.-]{1,155}";
    public static final String APP_ID_MESSAGE = "must be a bundle id: 1 to 155 of A-Z a-z 0-9 . -";
    public static final String USER_ID = "[A-Za-z0-9._@-]{1,128}";
    public static final String USER_ID_MESSAGE = "must be 1 to 128 of A-Z a-z 0-9 . _ @ -";
    /** An APNs device token: 32 bytes today, up to 100 bytes allowed for the future; whole bytes only. */
    public static final String PUSH_TOKEN = "(?:[0-9A-Fa-f]{2}){32,100}";
    public static final String PUSH_TOKEN_MESSAGE = "must be an APNs device token: 64 to 200 hex digits";
    public static final String PUSH_ENVIRONMENT = "sandbox|production";
    public static final String PUSH_ENVIRONMENT_MESSAGE = "must be sandbox or production";

    private static final Pattern PLATFORM_PATTERN = Pattern.compile(PLATFORM);
    private static final Pattern APP_ID_PATTERN = Pattern.compile(APP_ID);
    private static final Pattern USER_ID_PATTERN = Pattern.compile(USER_ID);

    private Fields() {
    }

    public static boolean isPlatform(String value) {
        return value != null && PLATFORM_PATTERN.matcher(value).matches();
    }

    public static boolean isAppId(String value) {
        return value != null && APP_ID_PATTERN.matcher(value).matches();
    }

    public static boolean isUserId(String value) {
        return value != null && USER_ID_PATTERN.matcher(value).matches();
    }
}
