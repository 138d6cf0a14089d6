package org.mpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every command given what people get wrong: missing files, directories, bad ids, sizes,
 * names and properties. Each must fail with {@code mpool: COMMAND: message [CODE]} (or a usage
 * error) and its exit status, never a stack trace or an "internal error". Runs in process, so
 * the whole matrix takes seconds; a command missing from the matrix fails the test.
 */
class UserMistakesTest {
    private static final String NO_MBLOCK = "0x0000000000fff101";
    private static final String NO_MLOG = "0x0000000000fff201";
    private static final String NO_MDC = "0x0000000000fff301";
    private static final String NO_UUID = "00000000-0000-4000-8000-000000000000";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;

    @BeforeEach
    void setUp() {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setProperty("mpool.config", dir.resolve("registry").toString());
    }

    @AfterEach
    void tearDown() {
        System.setOut(savedOut);
        System.setErr(savedErr);
        System.clearProperty("mpool.config");
    }

    /** A mistake and the exit status it must give (1 failure, 2 usage). */
    private record Mistake(int exit, List<String> args) {}

    private static Mistake m(int exit, String... args) {
        return new Mistake(exit, List.of(args));
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return MpoolCommand.execute(args);
    }

    @Test
    void noMistakePrintsAStackTrace() throws Exception {
        String pool = "mp";
        Path device = dir.resolve("mp.img");
        assertThat(run("create", pool, device.toString(), "--size", "256m", "--mblock-size", "1m"))
                .as("create: %s", err)
                .isZero();
        Path file = Files.writeString(dir.resolve("data.txt"), "data\n".repeat(2000)); // holds no pool
        assertThat(run("mblock", "put", pool, file.toString()))
                .as("put: %s", err)
                .isZero();
        String mblock = out.toString(StandardCharsets.UTF_8).trim();
        assertThat(run("mlog", "create", pool, "--capacity", "1m")).isZero();
        String mlog = out.toString(StandardCharsets.UTF_8).trim();

        String missing = dir.resolve("missing/nothing.img").toString();
        String folder = Files.createDirectory(dir.resolve("folder")).toString();
        String empty = Files.createFile(dir.resolve("empty.img")).toString();
        String plain = file.toString(); // a file that holds no pool
        String tiny = Files.writeString(dir.resolve("tiny"), "four").toString();
        List<Mistake> mistakes = List.of(
                m(2, "create", "x", dir.resolve("x.img").toString(), "--size", "12x"),
                m(2, "create", "x", dir.resolve("x.img").toString(), "--size", "-1"),
                m(2, "create", "x", dir.resolve("x.img").toString(), "--size", "99999999999999999999"),
                m(2, "create", "x", dir.resolve("x.img").toString(), "--size", "9223372036854775807"),
                m(2, "create", "x", dir.resolve("x.img").toString(), "--size", "1g", "--uid", "-5"),
                m(2, "create", "x", dir.resolve("x.img").toString(), "--size", "1g", "--gid", "nosuchgroup"),
                m(2, "create", "x", dir.resolve("x.img").toString(), "--size", "1g", "--mode", "999"),
                m(2, "create", "x", dir.resolve("x.img").toString(), "--size", "1g", "--staging-mblock-size", "4m"),
                m(2, "create", "bad/name", dir.resolve("x.img").toString(), "--size", "1g"),
                m(2, "create", "x", device.toString() + "2", "--size", "1g", "--staging", device + "2"),
                m(1, "create", "x", missing, "--size", "1g"),
                m(1, "create", "x", missing),
                m(2, "create", "x", folder),
                m(2, "create", "x", empty),
                m(1, "create", "x", plain),
                m(1, "create", "x", device.toString()),
                m(1, "add", "nosuch", dir.resolve("s.img").toString(), "--class", "staging", "--size", "64m"),
                m(2, "add", pool, folder, "--class", "staging"),
                m(2, "add", pool, dir.resolve("s.img").toString(), "--class", "fast", "--size", "64m"),
                m(2, "add", pool, dir.resolve("s.img").toString(), "--class", "staging", "--size", "1x"),
                m(1, "add", pool, missing, "--class", "staging"),
                m(1, "add", pool, missing, "--class", "staging", "-D"),
                m(2, "create", "x", dir.resolve("x.img").toString(), "--size", "1g", "-D", "--discard=maybe"),
                m(1, "grow", "nosuch"),
                m(2, "grow", pool, "--size", "12x"),
                m(2, "grow", pool, "--size", "1m"),
                m(2, "grow", pool, "--class", "fast"),
                m(1, "grow", pool, "--class", "staging"),
                m(1, "destroy", "nosuch", "--yes"),
                m(1, "destroy", NO_UUID, "--yes", "--force"),
                m(1, "destroy", missing, "--yes"),
                m(1, "destroy", plain, "--yes"),
                m(1, "destroy", tiny, "--yes", "--force"),
                m(2, "destroy", folder, "--yes"),
                m(1, "wipe", missing, "--yes"),
                m(1, "wipe", plain, "--yes"),
                m(1, "wipe", tiny, "--yes"),
                m(2, "create", "x", tiny),
                m(2, "wipe", folder, "--yes"),
                m(1, "wipe", device.toString(), "--yes"),
                m(1, "rename", "nosuch", "other"),
                m(2, "rename", pool, "a/b"),
                m(1, "activate", "nosuch"),
                m(1, "activate", NO_UUID, "--search", missing, folder),
                m(1, "deactivate", "nosuch"),
                m(2, "scan", "--activate", "--deactivate"),
                m(2, "scan", "-o", "colour"),
                m(1, "list", "nosuch"),
                m(1, "list", pool, "nosuch"),
                m(2, "list", "-o", "mpool,colour"),
                m(2, "list", "--units", "x"),
                m(1, "get", "nosuch"),
                m(2, "get", pool, "colour"),
                m(2, "get", pool, "-p", "colour"),
                m(2, "set", pool, "label"),
                m(2, "set", pool, "ra=32"),
                m(2, "set", pool, "name=other"),
                m(2, "set", pool, "uid=-5"),
                m(2, "set", pool, "gid=nosuchgroup"),
                m(2, "set", pool, "mode=999"),
                m(2, "set", pool, "spare=80"),
                m(2, "set", pool, "spare.capacity=101"),
                m(2, "set", pool, "discard=maybe"),
                m(2, "set", pool, "reaper.ttl=soon"),
                m(2, "set", pool, "reaper.period=0"),
                m(2, "set", pool, "reaper.budget=0%"),
                m(2, "set", pool, "reaper.budget=lots"),
                m(2, "set", pool, "spare.staging=-1"),
                m(1, "set", "nosuch", "label=x"),
                m(1, "show", "nosuch"),
                m(1, "show", NO_UUID),
                m(2, "show", pool, "-o", "colour"),
                m(1, "show", "nosuch", "--stats"),
                m(2, "show", pool, "--stats", "-o", "colour"),
                m(1, "check", "nosuch"),
                m(1, "scrub", "nosuch"),
                m(2, "scrub", pool, "--rate", "-3"),
                m(2, "scrub", pool, "--rate", "fast"),
                m(1, "mblock", "put", pool, missing),
                m(2, "mblock", "put", pool, folder),
                m(1, "mblock", "put", pool, plain, "--class", "staging"),
                m(2, "mblock", "put", pool, plain, "--class", "fast"),
                m(1, "mblock", "put", "nosuch", plain),
                m(2, "mblock", "get", pool, "nonsense"),
                m(1, "mblock", "get", pool, NO_MBLOCK),
                m(2, "mblock", "get", pool, mlog),
                m(1, "mblock", "list", "nosuch"),
                m(2, "mblock", "stat", pool, "0xzz"),
                m(1, "mblock", "stat", pool, NO_MBLOCK),
                m(2, "mblock", "rm", pool, mlog),
                m(1, "mblock", "rm", pool, NO_MBLOCK),
                m(2, "mlog", "create", pool, "--capacity", "12x"),
                m(2, "mlog", "create", pool, "--owner", "zz"),
                m(1, "mlog", "create", pool, "--class", "staging"),
                m(1, "mlog", "create", pool, "--capacity", "1t"),
                m(2, "mlog", "append", pool, mblock, "x"),
                m(1, "mlog", "append", pool, NO_MLOG, "x"),
                m(2, "mlog", "cat", pool, "nonsense"),
                m(1, "mlog", "cat", pool, NO_MLOG),
                m(1, "mlog", "erase", pool, NO_MLOG),
                m(1, "mlog", "list", "nosuch"),
                m(2, "mlog", "rm", pool, mblock),
                m(2, "mdc", "create", pool, "--capacity", "-1"),
                m(1, "mdc", "create", pool, "--class", "staging"),
                m(2, "mdc", "append", pool, mlog, "x"),
                m(1, "mdc", "append", pool, NO_MDC, "x"),
                m(1, "mdc", "cat", pool, NO_MDC),
                m(1, "mdc", "compact", pool, NO_MDC),
                m(1, "mdc", "list", "nosuch"),
                m(2, "mdc", "rm", pool, "root"),
                m(1, "mdc", "rm", pool, NO_MDC),
                m(2, "quickstart", "--mblocks", "0"),
                m(2, "quickstart", "--dir", plain));

        List<String> failures = new ArrayList<>();
        Set<String> covered = new TreeSet<>();
        for (Mistake mistake : mistakes) {
            String[] args = mistake.args().toArray(String[]::new);
            int status = run(args);
            String stderr = err.toString(StandardCharsets.UTF_8);
            String what = "mpool " + String.join(" ", args) + " -> " + status + ": " + stderr.strip();
            if (status != mistake.exit()) {
                failures.add("exit " + mistake.exit() + " expected: " + what);
            }
            if (stderr.contains("\tat ") || stderr.contains("internal error") || !stderr.startsWith("mpool: ")) {
                failures.add("not a plain error: " + what);
            }
            if (!stderr.matches("(?s).*\\[[A-Z_]+\\].*")) {
                failures.add("no error code: " + what);
            }
            covered.add(commandOf(mistake.args()));
        }
        // a counter page damaged outside the tool: show --stats reports it
        assertThat(run("get", pool, "uuid", "-o", "value", "--noheadings")).isZero();
        String uuid = out.toString(StandardCharsets.UTF_8).strip();
        String lockDir = System.getenv().getOrDefault("MPOOL_LOCK_DIR", "");
        Path page = Path.of(lockDir.isBlank() ? "/run/lock/mpool" : lockDir).resolve(uuid + ".stats");
        Files.write(page, new byte[] {1, 2, 3});
        int status = run("show", pool, "--stats");
        String stderr = err.toString(StandardCharsets.UTF_8);
        if (status != 1
                || !stderr.startsWith("mpool: show: ")
                || !stderr.contains("[CORRUPT]")
                || stderr.contains("\tat ")) {
            failures.add("a damaged counter page: show --stats -> " + status + ": " + stderr.strip());
        }
        assertThat(failures).as("mistakes not reported as errors").isEmpty();
        assertThat(covered).as("commands with a mistake tried").containsAll(leafCommands());
    }

    /** The command a line runs: "create", "mblock put"... */
    private static String commandOf(List<String> args) {
        return List.of("mblock", "mlog", "mdc").contains(args.getFirst())
                ? args.get(0) + " " + args.get(1)
                : args.getFirst();
    }

    /** Every command that does something (not help or completion). */
    static Set<String> leafCommands() {
        Set<String> out = new TreeSet<>();
        collect(new CommandLine(new MpoolCommand()), out);
        out.removeAll(Set.of("help", "generate-completion"));
        return out;
    }

    private static void collect(CommandLine c, Set<String> out) {
        if (c.getSubcommands().isEmpty()) {
            out.add(c.getCommandSpec().qualifiedName(" ").replaceFirst("^mpool ", ""));
        }
        c.getSubcommands().values().forEach(sub -> collect(sub, out));
    }
}
