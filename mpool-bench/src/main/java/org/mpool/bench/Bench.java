package org.mpool.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark harness: {@code ./bench [SUITE...] [--dir DIR] [--seconds N] [--rounds N]
 * [--out DIR] [--plot DIR]}. Every mpool figure is measured next to its baseline (fio on the
 * same file, or the alternative a user would pick) in the same run, interleaved over rounds,
 * and reported as a ratio. The {@code ./bench} script's own options ({@code --install-fio},
 * {@code --hugepages}) change the host and are handled there; the script does not pass them on,
 * and given to the jar directly they are ignored with a note.
 */
public final class Bench {
    private static final Map<String, Suite> SUITES = new LinkedHashMap<>();

    static {
        for (Suite s : List.of(
                new DeviceSuite(),
                new LogSuite(),
                new PoolSuite(),
                new OpenSuite(),
                new CacheSuite(),
                new ScalingSuite())) {
            SUITES.put(s.name(), s);
        }
    }

    private Bench() {}

    /** The option value at {@code args[i]}; exits with a usage error when it is missing. */
    private static String value(String[] args, int i) {
        if (i >= args.length || args[i].isEmpty()) {
            System.err.println("bench: " + args[i - 1] + " needs a value");
            System.exit(2);
        }
        return args[i];
    }

    /** The positive whole number at {@code args[i]}; exits with a usage error otherwise. */
    private static int positive(String[] args, int i) {
        String option = args[i - 1];
        try {
            int v = Integer.parseInt(i < args.length ? args[i] : "");
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        System.err.println(
                "bench: " + option + " takes a positive whole number, got '" + (i < args.length ? args[i] : "") + "'");
        System.exit(2);
        return 0;
    }

    public static void main(String[] args) throws Exception {
        List<String> chosen = new ArrayList<>();
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "mpool-bench");
        Path out = null;
        Path plot = null;
        int seconds = 3;
        int rounds = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--dir" -> dir = Path.of(value(args, ++i));
                case "--seconds" -> seconds = positive(args, ++i);
                case "--rounds" -> rounds = positive(args, ++i);
                case "--out" -> out = Path.of(value(args, ++i));
                case "--plot" -> plot = Path.of(value(args, ++i));
                case "--install-fio", "--hugepages" ->
                    System.err.println("bench: " + args[i]
                            + " is an option of the ./bench script (it changes the host): ignored here");
                case "-h", "--help" -> {
                    System.out.println("usage: bench [" + String.join("|", SUITES.keySet())
                            + "]... [--dir DIR] [--seconds N] [--rounds N] [--out DIR] [--plot DIR]");
                    return;
                }
                default -> {
                    if (!SUITES.containsKey(args[i])) {
                        System.err.println("bench: unknown suite or option '" + args[i] + "' (suites: "
                                + String.join(", ", SUITES.keySet()) + ")");
                        System.exit(2);
                    }
                    chosen.add(args[i]);
                }
            }
        }
        if (chosen.isEmpty()) {
            chosen.addAll(SUITES.keySet());
            chosen.remove("scaling"); // a curve, minutes long: named when wanted
        }
        Files.createDirectories(dir);
        if (!Fio.available()) {
            System.err.println("bench: fio not found: fio baselines are skipped (ratios against fio show as '-');"
                    + " './bench --install-fio' installs it (apt-get, as root)");
        }
        Suite.Config config = new Suite.Config(dir, seconds, rounds);
        List<Result> results = new ArrayList<>();
        for (String name : chosen) {
            System.err.printf("bench: running %s (%d rounds of %d s per case, in %s)%n", name, rounds, seconds, dir);
            List<Result> r = SUITES.get(name).run(config);
            Reports.printTable(System.out, r);
            results.addAll(r);
        }
        if (out != null) {
            Reports.write(out, results);
        }
        if (plot != null) {
            Plots.write(plot, results);
        }
        long missed = results.stream().filter(r -> !r.met()).count();
        System.out.printf(Locale.ROOT, "%n%d of %d targets met%n", results.size() - missed, results.size());
    }
}
