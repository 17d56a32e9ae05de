package io.tether.fanout.routing;

import io.tether.pushoptions.PushOptions;

/** The apns-push-type a message's push options ask for (accepted options are valid: fanout checked them at intake). */
final class PushTypes {
    private PushTypes() {
    }

    static String of(String pushOptionsJson) {
        try {
            return PushOptions.parse(pushOptionsJson).type().getHeaderValue();
        } catch (RuntimeException e) {
            return "alert"; // checked at intake; a record from before the check routes as it did then
        }
    }
}
