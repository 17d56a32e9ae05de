package io.tether.sim;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import javax.net.ssl.TrustManagerFactory;

/**
 * The lifecycle cases of the README, each with a fresh device: what the app does, what the backend sends, what the
 * device receives and the route Tether took ({@code GET /v1/messages/<id>}, printed as it changes).
 */
final class Cases {
    /** Case name → what it shows, in the order they run. */
    static final Map<String, String> ALL = new LinkedHashMap<>();

    static {
        ALL.put("foreground", "the app is in the foreground: delivered live");
        ALL.put("background", "the app says it goes to the background: push and inbox at once, the inbox drains when it is back");
        ALL.put("suspended", "the app is suspended without a word, its socket deaf: a missed PUBACK turns it to push");
        ALL.put("defunct-fin", "the socket is closed and the FIN reaches Tether: push at once, the session resumes on reconnect");
        ALL.put("defunct-silent", "the socket dies without a FIN: push after the missed PUBACK, the new connection takes over");
        ALL.put("elsewhere", "the device connects again elsewhere while its old connection lingers: 0x8E to the old one");
        ALL.put("token-invalid", "APNs refuses the push token: it is removed, the inbox keeps the message, the app reports a new token");
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Api api;
    private final SimOptions options;
    private final Out out;
    private final TrustManagerFactory trust;
    private final StatusFollower follower;

    Cases(Api api, SimOptions options, Out out) {
        this.api = api;
        this.options = options;
        this.out = out;
        this.trust = options.trust();
        this.follower = new StatusFollower(api, out, options.patience());
    }

    /** Runs the named cases (all when none is named); returns how many did not end as described. */
    int run(List<String> names) {
        List<String> chosen = names.isEmpty() ? List.copyOf(ALL.keySet()) : names;
        for (String name : chosen) {
            if (!ALL.containsKey(name)) {
                throw new IllegalArgumentException("no case " + name + "; the cases are " + String.join(", ", ALL.keySet()));
            }
        }
        int failed = 0;
        for (String name : chosen) {
            out.line("");
            out.line("== " + name + ": " + ALL.get(name));
            boolean ok;
            try {
                ok = play(name);
            } catch (RuntimeException e) {
                out.line("   FAILED: " + e.getMessage());
                ok = false;
            }
            out.line(ok ? "   ok" : "   did not end as described");
            failed += ok ? 0 : 1;
        }
        return failed;
    }

    private boolean play(String name) {
        return switch (name) {
            case "foreground" -> foreground();
            case "background" -> background();
            case "suspended" -> suspended();
            case "defunct-fin" -> defunctWithFin();
            case "defunct-silent" -> defunctWithoutFin();
            case "elsewhere" -> elsewhere();
            case "token-invalid" -> tokenInvalid();
            default -> throw new IllegalArgumentException(name);
        };
    }

    private boolean foreground() {
        try (Device app = device(token(32))) {
            online(app, false);
            String id = send(app, "hello in the foreground");
            return received(app) && delivered(id, app, "live");
        }
    }

    private boolean background() {
        try (Device app = device(token(32))) {
            online(app, false);
            app.lifecycle("background");
            String id = send(app, "a message while in the background");
            boolean pushed = "push".equals(follow(id, app, s -> "push".equals(s.route()) || s.isFinal()).route());
            boolean notLive = app.next(Duration.ofSeconds(1)).isEmpty();
            app.lifecycle("foreground");
            return pushed && notLive && received(app) && delivered(id, app, null);
        }
    }

    private boolean suspended() {
        try (Device app = device(token(32))) {
            online(app, true);
            app.freeze();
            String id = send(app, "sent while the app is suspended");
            boolean pushed = "push".equals(follow(id, app, s -> "push".equals(s.route()) || s.isFinal()).route());
            app.thaw();
            return pushed && received(app) && delivered(id, app, null);
        }
    }

    private boolean defunctWithFin() {
        try (Device app = device(token(32))) {
            online(app, true);
            app.cut();
            String id = send(app, "sent after the socket closed");
            boolean pushed = "push".equals(follow(id, app, s -> "push".equals(s.route()) || s.isFinal()).route());
            boolean resumed = reconnect(app, options.mqtt());
            return pushed && resumed && received(app) && delivered(id, app, null);
        }
    }

    private boolean defunctWithoutFin() {
        try (Device app = device(token(32))) {
            online(app, true);
            app.vanish();
            String id = send(app, "sent into a dead socket");
            boolean pushed = "push".equals(follow(id, app, s -> "push".equals(s.route()) || s.isFinal()).route());
            try (Relay silent = app.detach()) {
                boolean resumed = reconnect(app, options.mqtt());
                return pushed && resumed && received(app) && delivered(id, app, null);
            }
        }
    }

    private boolean elsewhere() {
        try (Device app = device(token(32))) {
            online(app, false);
            app.detach();
            boolean resumed = reconnect(app, options.mqttElsewhere());
            String id = send(app, "sent after the move");
            return resumed && received(app) && delivered(id, app, "live");
        }
    }

    private boolean tokenInvalid() {
        // 66 hex digits: a token the registry takes and APNs refuses (BadDeviceToken; the local APNs accepts only 64)
        try (Device app = device(token(33))) {
            online(app, false);
            app.disconnect();
            String id = send(app, "sent while the app is closed");
            follow(id, app, s -> s.reason() != null || s.isFinal());
            boolean removed = !Waits.until(() -> api.hasPushToken(app.id()), has -> !has, options.patience());
            out.event("registry", removed ? "push token removed (APNs refused it)" : "push token still there");
            boolean resumed = reconnect(app, options.mqtt());
            boolean got = received(app) && delivered(id, app, null);
            app.reportPushToken(token(32));
            boolean restored = Waits.until(() -> api.hasPushToken(app.id()), has -> has, options.patience());
            out.event("registry", restored ? "the new push token is stored" : "no push token");
            return removed && resumed && got && restored;
        }
    }

    // ---- steps ----------------------------------------------------------------------------------------------

    private Device device(String pushToken) {
        Api.Registered registered = api.register(options.platform(), options.appId(), pushToken);
        out.event("backend", "registered " + options.platform() + " device " + registered.id() + " (push token …"
                + pushToken.substring(pushToken.length() - 6) + ")");
        return new Device(registered, "device", out, trust, true);
    }

    private void online(Device app, boolean relayed) {
        app.connect(options.mqtt(), relayed, false);
        app.subscribe();
    }

    /** A new connection that resumes the session: no SUBSCRIBE, Session Present expected. */
    private boolean reconnect(Device app, Endpoint where) {
        boolean present = app.connect(where, false, false);
        if (!present) {
            out.event("device", "the session was not resumed: subscribing again");
            app.subscribe();
        }
        return present;
    }

    private String send(Device app, String text) {
        String id = api.send(List.of(app.id()), Map.of("payload", text, "push", Map.of("alert", Map.of("title", "Tether", "body", text))));
        out.event("backend", "POST /v1/messages \"" + text + "\" → " + id);
        return id;
    }

    private boolean received(Device app) {
        boolean got = app.next(options.patience()).isPresent();
        if (!got) {
            out.event("device", "nothing received within " + options.patience().toSeconds() + " s");
        }
        return got;
    }

    private boolean delivered(String id, Device app, String route) {
        Api.Status status = follow(id, app, Api.Status::isFinal);
        return "delivered".equals(status.status()) && (route == null || route.equals(status.route()));
    }

    /** Prints the message's status for the device each time it changes, until {@code done} or the patience runs out. */
    private Api.Status follow(String id, Device app, Predicate<Api.Status> done) {
        return follower.follow(id, app.id(), done);
    }

    private static String token(int bytes) {
        byte[] token = new byte[bytes];
        RANDOM.nextBytes(token);
        return HexFormat.of().formatHex(token);
    }
}
