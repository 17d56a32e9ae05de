package io.tether.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One device by hand: registered (or given), connected through a relay, driven by commands typed on stdin. What the
 * backend sends is followed in the background, so the next command can be typed meanwhile.
 */
final class Interactive {
    static final String HELP = """
              send <text>   the backend sends a message to this device (the route is printed as it changes)
              status        the last message's status and route
              bg | fg       the app reports background / foreground ($tether/lifecycle)
              freeze | thaw the app is suspended (socket open, unread) / back
              cut           the socket closes with a FIN
              vanish        the socket dies without a FIN
              reconnect     a new connection that resumes the session (no SUBSCRIBE)
              token [hex]   the app reports a (new) push token
              quit""";

    private final Api api;
    private final SimOptions options;
    private final Out out;
    private final InputStream commands;
    private final StatusFollower follower;
    private final ExecutorService following = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "tether-sim-follow");
        thread.setDaemon(true);
        return thread;
    });

    Interactive(Api api, SimOptions options, Out out, InputStream commands) {
        this.api = api;
        this.options = options;
        this.out = out;
        this.commands = commands;
        this.follower = new StatusFollower(api, out, options.patience());
    }

    int run() throws IOException {
        Api.Registered registered = options.options().containsKey("id")
                ? new Api.Registered(options.option("id", null), options.option("password", ""))
                : api.register(options.platform(), options.appId(), token());
        out.line("device " + registered.id() + (options.options().containsKey("id") ? "" : " (registered, password " + registered.password() + ")"));
        out.line(HELP);
        String last = null;
        try (Device device = new Device(registered, "device", out, options.trust(), true)) {
            device.connect(options.mqtt(), true, false);
            device.subscribe();
            BufferedReader in = new BufferedReader(new InputStreamReader(commands, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                String[] words = line.trim().split("\\s+", 2);
                try {
                    switch (words[0]) {
                        case "" -> { }
                        case "send" -> {
                            String sent = api.send(List.of(device.id()), Map.of("payload", words.length > 1 ? words[1] : "hello"));
                            out.event("backend", "POST /v1/messages → " + sent);
                            follow(sent, device.id());
                            last = sent;
                        }
                        case "status" -> out.event("tether", last == null ? "nothing sent yet" : last + " " + api.status(last, device.id()));
                        case "bg" -> device.lifecycle("background");
                        case "fg" -> device.lifecycle("foreground");
                        case "freeze" -> device.freeze();
                        case "thaw" -> device.thaw();
                        case "cut" -> device.cut();
                        case "vanish" -> device.vanish();
                        case "reconnect" -> {
                            device.detach();
                            device.connect(options.mqtt(), true, false);
                        }
                        case "token" -> device.reportPushToken(words.length > 1 ? words[1] : token());
                        case "quit", "exit" -> {
                            return 0;
                        }
                        default -> out.line("unknown command; the commands are:\n" + HELP);
                    }
                } catch (RuntimeException e) {
                    out.line("failed: " + e.getMessage());
                }
            }
        } finally {
            following.shutdownNow();
        }
        return 0;
    }

    /** Prints the message's status and route as they change, until final or the patience runs out. */
    private void follow(String messageId, String deviceId) {
        following.execute(() -> {
            try {
                follower.follow(messageId, deviceId, Api.Status::isFinal);
            } catch (RuntimeException e) {
                out.line("following " + messageId + " failed: " + e.getMessage());
            }
        });
    }

    private static String token() {
        byte[] token = new byte[32];
        new SecureRandom().nextBytes(token);
        return HexFormat.of().formatHex(token);
    }
}
