package org.mpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpool.Mpool;

/**
 * Drives the real {@code ./mpool} launcher on file-backed pools: every command, the output
 * formats, and the error paths with their exit codes. Runs after package (failsafe).
 */
class CliIT {
    @TempDir
    Path dir;

    private Launcher mpool;
    private Path device;

    @BeforeEach
    void setUp() {
        mpool = new Launcher(dir.resolve("registry"));
        device = dir.resolve("it.img");
    }

    private Launcher.Run ok(String... args) throws Exception {
        return mpool.ok(args);
    }

    private Launcher.Run fails(int exit, String code, String... args) throws Exception {
        return mpool.fails(exit, code, args);
    }

    private static String golden(String name) throws IOException {
        try (var in = CliIT.class.getResourceAsStream("/golden/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void poolLifecycleAndReports() throws Exception {
        ok("create", "itpool", device.toString(), "--size", "1g", "--mblock-size", "1m", "--label", "demo");
        assertThat(Files.readString(dir.resolve("registry")))
                .containsPattern("itpool\t[0-9a-f-]{36}\tactive\tcapacity=" + Pattern.quote(device.toString()));
        assertThat(ok("list").out()).isEqualTo(golden("list.txt"));
        String json = ok("list", "--json").out();
        assertThat(json)
                .contains(
                        "\"mpool\": \"itpool\"",
                        "\"total\": 1073741824",
                        "\"label\": \"demo\"",
                        "\"health\": \"optimal\"");
        assertThat(ok("list", "-Y").out()).contains("- mpool: \"itpool\"", "  total: 1073741824");
        assertThat(ok("list", "-o", "mpool,label", "--noheadings").out()).isEqualTo("itpool  demo\n");
        assertThat(ok("list", "-o", "total", "--units", "m", "--noheadings").out())
                .isEqualTo("1024\n");

        ok("set", "itpool", "label=renamed label", "mode=0600", "spare=10");
        String props = ok("get", "itpool", "label", "mode", "spare", "--json").out();
        assertThat(props).contains("\"value\": \"renamed label\"", "\"value\": \"0600\"", "\"value\": \"10\"");
        assertThat(Files.getPosixFilePermissions(device)).hasSize(2); // owner read + write
        assertThat(ok("show", "itpool").out())
                .contains(
                        "mpool:   itpool",
                        "capacity",
                        "health:  optimal",
                        "reaper:  page-cache budget 25% of RAM, idle maps evicted after 10m, checked every 1s");
        assertThat(ok("show", "itpool", "-Y").out()).contains("class: \"capacity\"", "mblocksize: 1048576");

        if (Files.isExecutable(Path.of("/usr/sbin/blkid")) || Files.isExecutable(Path.of("/sbin/blkid"))) {
            Process p = new ProcessBuilder("blkid", "-p", device.toString()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).isZero();
            assertThat(out).contains("TYPE=\"mpool\"", "LABEL=\"itpool\"");
        } else {
            System.out.println("CliIT: blkid is not installed: skipping the blkid check");
        }

        ok("rename", "itpool", "itpool2");
        assertThat(ok("list", "-o", "mpool", "--noheadings").out()).isEqualTo("itpool2\n");
        assertThat(ok("scan", "--json").out()).contains("\"mpool\": \"itpool2\"", "\"class\": \"capacity\"");
        ok("deactivate", "itpool2");
        assertThat(ok("activate", "itpool2").out()).contains("activated pool itpool2");
        ok("check", "itpool2");
        ok("check", "itpool2", "--read-only");
        ok("destroy", "itpool2", "--yes");
        assertThat(ok("list", "--noheadings").out()).isEmpty();
        assertThat(Files.readString(dir.resolve("registry"))).doesNotContain("itpool2");
    }

    @Test
    void objectToolsRoundTripBytes() throws Exception {
        ok("create", "objs", device.toString(), "--size", "1g", "--mblock-size", "4m");
        byte[] data = new byte[3 * 1024 * 1024 + 123];
        new Random(42).nextBytes(data);
        Launcher.Run put = mpool.runWithInput(data, "mblock", "put", "objs", "-");
        assertThat(put.exit()).as(put.err()).isZero();
        String id = put.out().trim();
        assertThat(id).matches("0x[0-9a-f]{16}");
        assertThat(mpool.runForBytes("mblock", "get", "objs", id)).isEqualTo(data);
        assertThat(mpool.runForBytes("mblock", "get", "objs", id, "--map"))
                .as("mapped read")
                .isEqualTo(data);
        assertThat(ok("mblock", "list", "objs", "--json").out())
                .contains("\"id\": \"" + id + "\"", "\"length\": " + data.length);
        assertThat(ok("mblock", "stat", "objs", id).out()).contains(id, "mblock", "capacity");

        String log = ok("mlog", "create", "objs", "--capacity", "4m").out().trim();
        Launcher.Run append = mpool.runWithInput("first\nsecond\nthird\n".getBytes(), "mlog", "append", "objs", log);
        assertThat(append.exit()).as(append.err()).isZero();
        ok("mlog", "append", "objs", log, "fourth");
        assertThat(ok("mlog", "cat", "objs", log).out()).isEqualTo("first\nsecond\nthird\nfourth\n");
        assertThat(ok("mlog", "cat", "objs", log, "--hex").out()).startsWith("6669727374\n");
        ok("mlog", "erase", "objs", log);
        assertThat(ok("mlog", "cat", "objs", log).out()).isEmpty();
        assertThat(ok("check", "objs").out()).contains("no problems found", "2 objects");
        ok("mlog", "rm", "objs", log);
        ok("mblock", "rm", "objs", id);
        fails(1, "NOT_FOUND", "mblock", "get", "objs", id);
    }

    @Test
    void mdcsListsAndTypeRefusals() throws Exception {
        ok("create", "meta", device.toString(), "--size", "1g", "--mblock-size", "1m");
        String mdc = ok("mdc", "create", "meta", "--owner", "0x2a").out().trim();
        assertThat(mdc).matches("0x[0-9a-f]{13}3[0-9a-f]{2}");
        ok("mdc", "append", "meta", mdc, "a", "b");
        Launcher.Run piped = mpool.runWithInput("c\n\nd\n".getBytes(), "mdc", "append", "meta", mdc);
        assertThat(piped.exit()).as(piped.err()).isZero();
        assertThat(piped.err()).contains("appended 3 record(s)");
        assertThat(ok("mdc", "cat", "meta", mdc).out()).isEqualTo("a\nb\nc\n\nd\n");
        assertThat(ok("mdc", "compact", "meta", mdc).out())
                .contains("compacted MDC " + mdc + ": records 5 (4 bytes) before, 5 (4 bytes) after");
        ok("mdc", "append", "meta", mdc, "e");
        assertThat(ok("mdc", "cat", "meta", mdc, "--hex").out()).isEqualTo("61\n62\n63\n\n64\n65\n");

        // the root MDC: no id, found again by every later run (each one opens the pool anew)
        ok("mdc", "append", "meta", "root", "r1", "r2");
        assertThat(ok("mdc", "compact", "meta", "root").out()).contains("compacted the root MDC: records 2");
        assertThat(ok("mdc", "cat", "meta", "root").out()).isEqualTo("r1\nr2\n");

        // lists by type, with the owner tag
        String log = ok("mlog", "create", "meta", "--capacity", "1m").out().trim();
        Launcher.Run put = mpool.runWithInput("x".getBytes(), "mblock", "put", "meta", "-");
        assertThat(put.exit()).as(put.err()).isZero();
        String block = put.out().trim();
        assertThat(ok("mdc", "list", "meta", "--json").out())
                .contains("\"id\": \"" + mdc + "\"", "\"type\": \"mdc\"", "\"owner\": \"0x000000000000002a\"")
                .doesNotContain(log, block);
        assertThat(ok("mlog", "list", "meta", "-o", "id,type,owner", "--noheadings")
                        .out())
                .isEqualTo(log + "  mlog  -\n");
        assertThat(ok("mblock", "list", "meta", "-Y").out()).contains("- id: \"" + block + "\"", "  owner: null");

        // rm refuses ids of another type, and "root", and deletes nothing when one id is wrong
        assertThat(fails(2, "INVALID_ARGUMENT", "mblock", "rm", "meta", log).err())
                .contains(log + " is an mlog, not an mblock");
        assertThat(fails(2, "INVALID_ARGUMENT", "mlog", "rm", "meta", log, mdc).err())
                .contains(mdc + " is an MDC, not an mlog");
        assertThat(fails(2, "INVALID_ARGUMENT", "mdc", "rm", "meta", block).err())
                .contains(block + " is an mblock, not an MDC");
        assertThat(fails(2, "INVALID_ARGUMENT", "mdc", "rm", "meta", "root").err())
                .contains("the root MDC cannot be deleted");
        fails(1, "NOT_FOUND", "mdc", "rm", "meta", mdc, "0x0000000000fff301");
        fails(2, "INVALID_ARGUMENT", "mdc", "cat", "meta", log);
        assertThat(ok("mlog", "list", "meta", "-o", "id", "--noheadings").out()).isEqualTo(log + "\n");
        assertThat(ok("mdc", "list", "meta", "-o", "id", "--noheadings").out()).isEqualTo(mdc + "\n");

        // a full MDC or mlog: the records before the one that did not fit went in, and the error counts them
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 48; i++) {
            big.append(String.valueOf((char) ('a' + i % 26)).repeat(65535)).append('\n');
        }
        List<String> full = new ArrayList<>();
        for (String kind : List.of("mdc", "mlog")) {
            full.add(ok(kind, "create", "meta", "--capacity", "1m").out().trim());
            Launcher.Run r = mpool.runWithInput(big.toString().getBytes(), kind, "append", "meta", full.getLast());
            assertThat(r.exit()).as(r.err()).isEqualTo(1);
            Matcher m = Pattern.compile("is full: (\\d+) record\\(s\\) appended and durable")
                    .matcher(r.err());
            assertThat(m.find()).as(r.err()).isTrue();
            int appended = Integer.parseInt(m.group(1));
            assertThat(appended).isBetween(1, 47);
            assertThat(r.err()).contains("[LOG_FULL]").doesNotContain("\tat org.mpool");
            assertThat(ok(kind, "cat", "meta", full.getLast()).out().lines().count())
                    .isEqualTo(appended);
        }

        // reading needs no lock: fine while this process holds the pool open
        try (Mpool _ = Mpool.open(device)) {
            assertThat(ok("mdc", "cat", "meta", mdc).out()).isEqualTo("a\nb\nc\n\nd\ne\n");
            assertThat(ok("mdc", "list", "meta", "-o", "id", "--noheadings").out())
                    .isEqualTo(mdc + "\n" + full.getFirst() + "\n");
            assertThat(ok("mdc", "cat", "meta", "root").out()).isEqualTo("r1\nr2\n");
            fails(1, "LOCKED", "mdc", "append", "meta", mdc, "f");
        }

        assertThat(ok("mdc", "rm", "meta", mdc, full.getFirst()).out())
                .isEqualTo("deleted " + mdc + "\ndeleted " + full.getFirst() + "\n");
        ok("mlog", "rm", "meta", log, full.getLast());
        ok("mblock", "rm", "meta", block);
        assertThat(ok("mdc", "list", "meta", "--json").out()).isEqualTo("[]\n");
        ok("check", "meta");
    }

    @Test
    void errorsHaveCodesAndExitStatus() throws Exception {
        fails(2, "INVALID_ARGUMENT", "create", "bad/name", device.toString(), "--size", "1g");
        assertThat(mpool.run("create", "p", device.toString(), "--size", "12x").exit())
                .isEqualTo(2);
        fails(2, "INVALID_ARGUMENT", "create", "p", device.toString(), "--size", "1g", "--mode", "999");
        fails(2, "INVALID_ARGUMENT", "create", "p", device.toString(), "--size", "1g", "--mblock-size", "3m");
        fails(1, "NOT_FOUND", "create", "p", dir.resolve("missing.img").toString());
        fails(2, "INVALID_ARGUMENT", "create", "p", dir.resolve("tiny.img").toString(), "--size", "8m");
        assertThat(Files.exists(dir.resolve("tiny.img")))
                .as("a failed create leaves no file")
                .isFalse();

        ok("create", "p", device.toString(), "--size", "1g", "--mblock-size", "1m");
        fails(1, "EXISTS", "create", "p", dir.resolve("other.img").toString(), "--size", "1g");
        fails(1, "EXISTS", "create", "q", device.toString());
        ok("create", "q", dir.resolve("q.img").toString(), "--size", "1g", "--mblock-size", "1m");
        fails(1, "EXISTS", "rename", "p", "q");
        fails(
                2,
                "INVALID_ARGUMENT",
                "add",
                "p",
                dir.resolve("s.img").toString(),
                "--class",
                "capacity",
                "--size",
                "64m");
        fails(2, "INVALID_ARGUMENT", "add", "p", dir.resolve("s.img").toString(), "--class", "fast", "--size", "64m");
        fails(2, "INVALID_ARGUMENT", "get", "p", "colour");
        fails(2, "INVALID_ARGUMENT", "set", "p", "label");
        fails(2, "INVALID_ARGUMENT", "set", "p", "colour=red");
        fails(2, "INVALID_ARGUMENT", "list", "-o", "mpool,colour");
        fails(2, "INVALID_ARGUMENT", "list", "--units", "x");
        fails(2, "INVALID_ARGUMENT", "mblock", "stat", "p", "nonsense");
        fails(1, "NOT_FOUND", "mblock", "stat", "p", "0x0000000000fff101");
        fails(1, "NOT_FOUND", "show", "nosuchpool");
        try (Mpool _ = Mpool.open(device)) {
            Launcher.Run r = fails(1, "LOCKED", "set", "p", "label=x");
            assertThat(r.err())
                    .contains("in use by process " + ProcessHandle.current().pid());
            ok("list", "p"); // inspection needs no lock
            fails(1, "LOCKED", "destroy", "p", "--yes", "--force");
        }
        Launcher.Run debug = mpool.run("show", "nosuchpool", "--debug");
        assertThat(debug.exit()).isEqualTo(1);
        assertThat(debug.err()).contains("\tat org.mpool");
    }

    @Test
    void everyCommandHasHelpWithExamples() throws Exception {
        assertThat(ok("--version").out()).startsWith("mpool ");
        assertThat(ok("--help").out()).contains("Examples:", "create", "quickstart");
        for (String command : UserMistakesTest.leafCommands()) {
            List<String> cmd = List.of(command.split(" "));
            List<String> withHelp = new ArrayList<>(cmd);
            withHelp.add("--help");
            String[] args = withHelp.toArray(String[]::new);
            Launcher.Run r = ok(args);
            assertThat(r.out()).as("help of %s", cmd).contains("Usage: mpool " + String.join(" ", cmd), "Example");
        }
    }
}
