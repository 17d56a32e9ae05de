package io.tether.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** One device by hand: registered (or given), connected through a relay, driven by commands typed on stdin. */
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

    Interactive(Api api, SimOptions options, Out out) {
        this.api = api;
        this.options = options;
        this.out = out;
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
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                String[] words = line.trim().split("\\s+", 2);
                try {
                    switch (words[0]) {
                        case "" -> { }
                        case "send" -> {
                            last = api.send(List.of(device.id()), Map.of("payload", words.length > 1 ? words[1] : "hello"));
                            out.event("backend", "POST /v1/messages → " + last);
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
        }
        return 0;
    }

    private static String token() {
        byte[] token = new byte[32];
        new SecureRandom().nextBytes(token);
        return HexFormat.of().formatHex(token);
    }
}
