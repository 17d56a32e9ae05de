package io.tether.chaos;

import io.tether.chaos.stack.Component;
import io.tether.chaos.stack.Fault;
import io.tether.chaos.stack.FaultKind;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What {@code chaos/run} was asked to do. Short mode is the CI run (three faults, a few devices, about two
 * minutes); long mode kills and freezes every component in turn under 1M messages.
 *
 * @param warmup        how long a phase sends before its fault (at most, when {@code afterRecovery} is set: short mode
 *                      faults once every live device received a message of the phase and every suspended device had
 *                      one pushed)
 * @param observe       how long a phase sends after its fault ended (at most, when {@code afterRecovery} is set)
 * @param afterRecovery short mode: once every live device got a message sent after the fault, the observation goes on
 *                      until messages sent since reached every device on its path (live, or pushed), at most this long
 *                      (recovery is what the run measures; a fixed window only adds waiting); null in long mode or with
 *                      {@code --messages}, whose phases share the messages over the whole window
 */
public record Options(
        boolean fuzz,
        String mode,
        boolean isolate,
        List<Fault> plan,
        int liveDevices,
        int suspendedDevices,
        int ratePerSecond,
        long totalMessages,
        Duration warmup,
        Duration observe,
        Duration afterRecovery,
        Duration freeze,
        Duration fuzzDuration,
        Path out,
        Path work) {

    /** The short mode's faults when none are chosen: the ones most likely to strand messages. */
    static final List<Fault> SHORT_PLAN = List.of(
            new Fault(Component.FANOUT, FaultKind.KILL),
            new Fault(Component.GATEWAY, FaultKind.KILL),
            new Fault(Component.REDIS, FaultKind.STOP));

    public static Options parse(Path root, String... args) {
        boolean fuzz = false;
        boolean longMode = false;
        boolean isolate = false;
        Set<Component> only = null;
        Set<FaultKind> kinds = null;
        Integer minutes = null;
        Integer rate = null;
        Long messages = null;
        Integer devices = null;
        Path out = null;
        Path work = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--short" -> longMode = false;
                case "--long" -> longMode = true;
                case "--fuzz" -> fuzz = true;
                case "--isolate" -> isolate = true;
                case "--only" -> only = parseSet(value(args, ++i, arg), Component::parse, Component.class);
                case "--faults" -> kinds = parseSet(value(args, ++i, arg), FaultKind::parse, FaultKind.class);
                case "--minutes" -> minutes = Integer.parseInt(value(args, ++i, arg));
                case "--rate" -> rate = Integer.parseInt(value(args, ++i, arg));
                case "--messages" -> messages = Long.parseLong(value(args, ++i, arg));
                case "--devices" -> devices = Integer.parseInt(value(args, ++i, arg));
                case "--out" -> out = Path.of(value(args, ++i, arg)).toAbsolutePath();
                case "--work" -> work = Path.of(value(args, ++i, arg)).toAbsolutePath();
                default -> throw new IllegalArgumentException("unknown option " + arg + " (see chaos/run --help)");
            }
        }
        String mode = fuzz ? (longMode ? "fuzz-long" : "fuzz-short") : (longMode ? "long" : "short");
        List<Fault> plan = plan(longMode, only, kinds);
        int live = devices != null ? devices : longMode ? 200 : 12;
        int suspended = Math.max(2, live / 4);
        int perSecond = rate != null ? rate : longMode ? 300 : 40;
        long total = messages != null ? messages : longMode ? 1_000_000 : 0; // 0: as many as the phases take
        Duration fuzzFor = Duration.ofSeconds(minutes != null ? minutes * 60L : longMode ? 600 : 10);
        Path outDir = out != null ? out : root.resolve("chaos/results").resolve(LocalDate.now() + "-" + mode);
        Path workDir = work != null ? work : root.resolve("chaos/target/work-" + mode);
        return new Options(fuzz, mode, isolate, plan, live, suspended, perSecond, total,
                Duration.ofSeconds(longMode ? 10 : 3), Duration.ofSeconds(longMode ? 20 : 12),
                longMode || total > 0 ? null : Duration.ofSeconds(3), Duration.ofSeconds(10), fuzzFor, outDir, workDir);
    }

    /** The faults of a run: the short plan by default, every component and kind in long mode, or what was chosen. */
    static List<Fault> plan(boolean longMode, Set<Component> only, Set<FaultKind> kinds) {
        if (!longMode && only == null && kinds == null) {
            return SHORT_PLAN;
        }
        List<Fault> plan = new ArrayList<>();
        for (Component component : only != null ? only : EnumSet.allOf(Component.class)) {
            for (FaultKind kind : kinds != null ? kinds : EnumSet.allOf(FaultKind.class)) {
                plan.add(new Fault(component, kind));
            }
        }
        return List.copyOf(plan);
    }

    /** The same run for one fault only, in its own work directory (for {@code --isolate}). */
    public Options alone(Fault fault, Path workDir) {
        return new Options(fuzz, mode, false, List.of(fault), liveDevices, suspendedDevices, ratePerSecond,
                totalMessages <= 0 ? 0 : totalMessages / plan.size(), warmup, observe, afterRecovery, freeze, fuzzDuration,
                out, workDir);
    }

    /** Phases share the messages of a long run evenly: how long each one sends after its fault ended. */
    public Duration observeFor(Fault fault) {
        if (totalMessages <= 0) {
            return observe;
        }
        long perPhase = totalMessages / plan.size();
        long seconds = Math.max(observe.toSeconds(), perPhase / ratePerSecond - warmup.toSeconds()
                - (fault.kind() == FaultKind.STOP ? freeze.toSeconds() : 0));
        return Duration.ofSeconds(seconds);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static <E extends Enum<E>> Set<E> parseSet(String list, java.util.function.Function<String, E> parse, Class<E> type) {
        Set<E> set = EnumSet.noneOf(type);
        Arrays.stream(list.split(",")).map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty())
                .map(parse).forEach(set::add);
        return set;
    }
}
