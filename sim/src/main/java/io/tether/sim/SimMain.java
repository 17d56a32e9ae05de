package io.tether.sim;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/** {@code bin/tether-sim}: plays devices against a running Tether. */
public final class SimMain {
    static final String USAGE = """
            usage: bin/tether-sim <command> [options]

              cases [name...]   act out the README's lifecycle cases, each with a fresh device (default: all of them)
              device            one device by hand: commands on stdin (send, bg, fg, freeze, thaw, cut, vanish, reconnect, token)
              crowd             many devices: --devices N (100) --messages M (1) --background PCT (0) --deaf PCT (0)

            options (defaults: the local run of deploy/local/up, from its TETHER_* variables):
              --registry URL    device-registry (http://127.0.0.1:8081)
              --fanout URL      fanout-service (http://127.0.0.1:8080)
              --mqtt URL        where devices connect: mqtt://host:1883, mqtts://host:8883, ws://host:8084/mqtt, wss://host:8086/mqtt
              --mqtt-alt URL    another gateway, for "elsewhere" (default: the same address)
              --cafile PEM      CA to trust for mqtts/wss (default: TETHER_HOME/tls/tether-local-ca.crt when it exists)
              --api-key KEY     backend API key (default: TETHER_API_KEY, else TETHER_HOME/api-key)
              --wait SECONDS    how long to wait for a fallback or a delivery (20)
              --platform ios    --app-id com.example.app

            cases: %s
            """;

    private SimMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out));
    }

    /**
     * Runs one command, printing to {@code out}; returns the exit code: 0 when everything ended as described, 1 when
     * something did not, 2 for a wrong command line.
     */
    public static int run(String[] args, Map<String, String> env, PrintStream out) {
        return run(args, env, System.in, out);
    }

    /** As above, with the {@code device} command's commands read from {@code in}. */
    public static int run(String[] args, Map<String, String> env, InputStream in, PrintStream out) {
        SimOptions options = SimOptions.parse(args, env);
        if (options.command().equals("help") || options.options().containsKey("help")) {
            out.printf(USAGE, String.join(", ", Cases.ALL.keySet()));
            return 0;
        }
        try {
            Api api = new Api(options.registry(), options.fanout(), options.apiKey());
            return switch (options.command()) {
                case "cases" -> new Cases(api, options, new Out(out, false)).run(options.words()) == 0 ? 0 : 1;
                case "device" -> new Interactive(api, options, new Out(out, false), in).run();
                case "crowd" -> new Crowd(api, options, new Out(out, true)).run();
                default -> {
                    out.printf(USAGE, String.join(", ", Cases.ALL.keySet()));
                    yield 2;
                }
            };
        } catch (IllegalArgumentException e) {
            out.println("tether-sim: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            out.println("tether-sim: failed: " + e);
            return 1;
        }
    }
}
