package org.mpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpool.MblockWriter;
import org.mpool.Mpool;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;

/**
 * The operations of issue 17 and the safety holes of issue 20, through the real launcher:
 * pools found by UUID after their devices move, activation, usable space, stale entries and
 * leftovers, output errors, concurrent creates, and the rough edges.
 */
class CliOperationsIT {
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    private Launcher mpool;
    private Path registry;

    @BeforeEach
    void setUp() {
        registry = dir.resolve("registry");
        mpool = new Launcher(registry);
    }

    /** The lines of a table that name this test's files (the machine's block devices may hold other pools), spaces squeezed. */
    private List<String> ours(String table) {
        return table.lines()
                .filter(l -> l.contains(dir.toString()))
                .map(l -> l.strip().replaceAll("\\s+", " "))
                .toList();
    }

    private String uuidOf(String pool) throws Exception {
        return mpool.ok("get", pool, "uuid", "-o", "value", "--noheadings")
                .out()
                .strip();
    }

    @Test
    void movedDevicesAreFoundByUuidAndActivationMeansSomething() throws Exception {
        Path cap = dir.resolve("cap.img");
        Path staging = dir.resolve("fast.img");
        mpool.ok(
                "create",
                "mv",
                cap.toString(),
                "--size",
                "256m",
                "--mblock-size",
                "1m",
                "--staging",
                staging.toString(),
                "--staging-size",
                "64m");
        String uuid = uuidOf("mv");
        Path movedStaging = Files.createDirectory(dir.resolve("elsewhere")).resolve("fast.img");
        Files.move(staging, movedStaging);

        Launcher.Run list = mpool.ok("list", "-o", "mpool,health,state", "--noheadings");
        assertThat(list.out()).isEqualTo("mv  unavailable (NOT_FOUND)  active\n");
        assertThat(list.err()).contains("cannot open its staging device", "--search");
        mpool.fails(1, "NOT_FOUND", "show", "mv");
        mpool.fails(1, "NOT_FOUND", "activate", uuid);
        assertThat(mpool.ok("activate", uuid, "--search", movedStaging.toString())
                        .out())
                .contains("activated pool mv (uuid " + uuid + ")", "staging " + movedStaging);
        assertThat(Files.readString(registry)).contains("staging=" + movedStaging);
        assertThat(mpool.ok("show", uuid, "-o", "class,device", "--noheadings").out())
                .isEqualTo("capacity  " + cap + "\nstaging   " + movedStaging + "\n");

        // the capacity device moves too: scan names its new place, and the registry follows
        Path movedCap = dir.resolve("elsewhere").resolve("cap.img");
        Files.move(cap, movedCap);
        mpool.fails(1, "NOT_FOUND", "show", "mv");
        Launcher.Run scan =
                mpool.ok("scan", movedCap.getParent().toString(), "-o", "device,class,state", "--noheadings");
        assertThat(ours(scan.out())).containsExactly(movedCap + " capacity active", movedStaging + " staging active");
        assertThat(scan.err()).contains("pool mv found at " + movedCap, "registry updated");
        assertThat(mpool.ok("show", "mv", "-o", "device", "--noheadings").out()).startsWith(movedCap + "\n");

        // inactive: inspected, not changed
        Path data = Files.writeString(dir.resolve("data"), "hello");
        mpool.ok("deactivate", "mv");
        assertThat(mpool.ok("list", "mv", "-o", "state", "--noheadings").out()).isEqualTo("inactive\n");
        assertThat(mpool.fails(1, "INVALID_STATE", "mblock", "put", "mv", data.toString())
                        .err())
                .contains("not active", "mpool activate mv");
        mpool.fails(1, "INVALID_STATE", "set", "mv", "label=x");
        assertThat(mpool.ok("scan", "--activate").err()).contains("activated pool mv");
        String id = mpool.ok("mblock", "put", "mv", data.toString(), "--class", "staging")
                .out()
                .strip();
        assertThat(mpool.ok("mblock", "get", "mv", id).out()).isEqualTo("hello");

        // in use: the state names the process; deactivation is refused while it has the pool
        try (Mpool _ = Mpool.open(movedCap, List.of(movedStaging))) {
            long pid = ProcessHandle.current().pid();
            assertThat(mpool.ok("list", "mv", "-o", "state", "--noheadings").out())
                    .isEqualTo("in use (pid " + pid + ")\n");
            assertThat(mpool.fails(1, "LOCKED", "deactivate", "mv").err()).contains("process " + pid);
        }
        assertThat(mpool.ok("scan", "--deactivate").err()).contains("deactivated pool mv");
        assertThat(ours(mpool.ok("scan", "-o", "device,state", "--noheadings").out()))
                .containsExactly(movedCap + " inactive", movedStaging + " inactive");
    }

    @Test
    void usableSpaceLeavesOutTheSpareAndClassesShowTheirOwnFigures() throws Exception {
        Path cap = dir.resolve("cap.img");
        mpool.ok(
                "create",
                "sp",
                cap.toString(),
                "--size",
                "64m",
                "--mblock-size",
                "1m",
                "--spare",
                "50",
                "--staging",
                dir.resolve("s.img").toString(),
                "--staging-size",
                "32m");
        long avail = Long.parseLong(mpool.ok("show", "sp", "-o", "avail", "--units", "b", "--noheadings")
                .out()
                .lines()
                .findFirst()
                .orElseThrow());
        assertThat(avail).as("capacity: 64 MiB less 32 MiB spare less metadata").isLessThan(32 * MIB);
        long fitted = 0;
        try (Mpool pool = Mpool.open(cap);
                Arena arena = Arena.ofConfined()) {
            MemorySegment page = Mpool.allocateBuffer(arena, 4096);
            while (true) {
                MblockWriter w;
                try {
                    w = pool.allocateMblock(MediaClass.CAPACITY);
                } catch (MpoolException e) {
                    assertThat(e.code()).isEqualTo(ErrorCode.NO_SPACE);
                    break;
                }
                w.write(page);
                w.commit();
                fitted++;
            }
            MblockWriter w = pool.allocateMblock(MediaClass.STAGING);
            w.write(page);
            w.commit();
            pool.commit(pool.allocateMlog(MediaClass.STAGING, MIB), 0);
        }
        assertThat(fitted * MIB).as("what list and show said was available").isEqualTo(avail);
        // staging: 32 MiB, 16 spare, 3 used (zone 0, the mblock, the mlog): 13 available, 3/16 of usable
        assertThat(mpool.ok("show", "sp", "-o", "class,avail,capacity,mblocks,mlogs", "--units", "m", "--noheadings")
                        .out()
                        .lines()
                        .map(l -> l.replaceAll("\\s+", " ")))
                .containsExactly("capacity 0 100.0% " + fitted + " 0", "staging 13 18.8% 1 1");
        assertThat(mpool.ok("list", "sp", "-o", "avail,usable,spare", "--units", "m", "--noheadings")
                        .out())
                .as("list sums the classes: only staging has room left")
                .isEqualTo("13  48  48\n");
    }

    /** The file system blocks {@code file} holds (st_blocks × 512). */
    private static long allocated(Path file) throws Exception {
        Process p = new ProcessBuilder("stat", "-c", "%b", file.toString()).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertThat(p.waitFor()).as("stat %s", file).isZero();
        return Long.parseLong(out) * 512;
    }

    /** Writes {@code bytes} of ones at {@code offset}, and syncs them (allocated on the file system). */
    private static void scribble(Path file, long offset, int bytes) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            byte[] ones = new byte[bytes];
            Arrays.fill(ones, (byte) 1);
            f.seek(offset);
            f.write(ones);
            f.getFD().sync();
        }
    }

    /** How many bytes of {@code [offset, offset + bytes)} of {@code file} are 1. */
    private static long ones(Path file, long offset, int bytes) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            byte[] b = new byte[bytes];
            f.seek(offset);
            f.readFully(b);
            long n = 0;
            for (byte x : b) {
                n += x == 1 ? 1 : 0;
            }
            return n;
        }
    }

    @Test
    void sparesDiscardAndTheReaperAreSetPersistedAndShown() throws Exception {
        // old data in the back half of the file (create checks only its first and last MiB)
        Path cap = dir.resolve("cap.img");
        Files.createFile(cap);
        try (RandomAccessFile f = new RandomAccessFile(cap.toFile(), "rw")) {
            f.setLength(64 * MIB);
        }
        scribble(cap, 48 * MIB, (int) (8 * MIB));
        mpool.ok("create", "tr", cap.toString(), "--mblock-size", "4m");
        assertThat(ones(cap, 48 * MIB, (int) (8 * MIB)))
                .as("create leaves old data")
                .isEqualTo(8 * MIB);
        mpool.ok("destroy", "tr", "--yes");
        mpool.ok(
                "create",
                "tr",
                cap.toString(),
                "--mblock-size",
                "4m",
                "-D",
                "--force",
                "--yes"); // the old pool's metadata is data
        assertThat(ones(cap, 48 * MIB, (int) (8 * MIB)))
                .as("create -D discarded the whole file first")
                .isZero();

        Path staging = dir.resolve("fast.img");
        Files.createFile(staging);
        try (RandomAccessFile f = new RandomAccessFile(staging.toFile(), "rw")) {
            f.setLength(32 * MIB);
        }
        scribble(staging, 16 * MIB, (int) (8 * MIB));
        long scribbled = allocated(staging);
        mpool.ok("add", "tr", staging.toString(), "--class", "staging", "--discard");
        assertThat(ones(staging, 16 * MIB, (int) (8 * MIB))).as("add --discard").isZero();
        assertThat(allocated(staging)).as("the file's blocks given back").isLessThan(scribbled - 4 * MIB);

        // every property, persisted: a deactivate and activate later, get and show say the same
        assertThat(mpool.ok(
                                "set",
                                "tr",
                                "spare.capacity=20",
                                "spare.staging=0",
                                "discard=on",
                                "reaper.budget=1g",
                                "reaper.ttl=90s",
                                "reaper.period=500ms")
                        .out())
                .isEqualTo("tr: spare.capacity=20\ntr: spare.staging=0\ntr: discard=on\ntr: reaper.budget=1073741824\n"
                        + "tr: reaper.ttl=90s\ntr: reaper.period=500ms\n");
        mpool.ok("deactivate", "tr");
        mpool.ok("activate", "tr");
        assertThat(mpool.ok(
                                "get",
                                "tr",
                                "spare",
                                "spare.capacity",
                                "spare.staging",
                                "discard",
                                "reaper.budget",
                                "reaper.ttl",
                                "reaper.period",
                                "-o",
                                "property,value",
                                "--noheadings")
                        .out()
                        .lines()
                        .map(l -> l.replaceAll("\\s+", " ")))
                .containsExactly(
                        "spare 5",
                        "spare.capacity 20",
                        "spare.staging 0",
                        "discard on",
                        "reaper.budget 1073741824",
                        "reaper.ttl 90s",
                        "reaper.period 500ms");
        assertThat(mpool.ok(
                                "show",
                                "tr",
                                "-o",
                                "class,spare,reaperbudget,reaperttl,reaperperiod",
                                "--units",
                                "m",
                                "--noheadings")
                        .out()
                        .lines()
                        .map(l -> l.replaceAll("\\s+", " ")))
                .as("each class its own spare: 20% of 16 zones of 4 MiB is 3 zones, 12 MiB")
                .containsExactly("capacity 12 1073741824 90s 500ms", "staging 0 1073741824 90s 500ms");
        assertThat(mpool.ok("show", "tr").out()).contains("page-cache budget 1.0 GiB, idle maps evicted after 90s");
        // spare sets both classes
        mpool.ok("set", "tr", "spare=10");
        assertThat(mpool.ok("get", "tr", "spare.capacity", "spare.staging", "-o", "value", "--noheadings")
                        .out())
                .isEqualTo("10\n10\n");

        // discard=on: a deleted mblock's zone goes back to the file system
        Path data = dir.resolve("data");
        byte[] bytes = new byte[3 << 20];
        new Random(1).nextBytes(bytes);
        Files.write(data, bytes);
        String id = mpool.ok("mblock", "put", "tr", data.toString()).out().strip();
        long withObject = allocated(cap);
        mpool.ok("mblock", "rm", "tr", id);
        assertThat(allocated(cap)).as("the mblock's zone punched out").isLessThanOrEqualTo(withObject - (3 << 20));
        mpool.ok("set", "tr", "discard=off");
        id = mpool.ok("mblock", "put", "tr", data.toString()).out().strip();
        withObject = allocated(cap);
        mpool.ok("mblock", "rm", "tr", id);
        assertThat(allocated(cap)).as("discard=off keeps the blocks").isGreaterThan(withObject - (1 << 20));
        assertThat(mpool.ok("check", "tr").exit()).isZero();
    }

    @Test
    void showStatsPrintsTheCountersOfTheProcessThatHasThePoolOpen() throws Exception {
        Path cap = dir.resolve("cap.img");
        mpool.ok("create", "st", cap.toString(), "--size", "64m", "--mblock-size", "1m");
        String uuid = uuidOf("st");
        long pid = ProcessHandle.current().pid();
        try (Mpool pool = Mpool.open(cap);
                Arena arena = Arena.ofConfined()) {
            for (int i = 0; i < 3; i++) {
                MblockWriter w = pool.allocateMblock(MediaClass.CAPACITY);
                w.write(Mpool.allocateBuffer(arena, 4096));
                w.commit();
            }
            Launcher.Run live = mpool.ok("show", "st", "--stats");
            assertThat(live.out())
                    .startsWith("pool st: counters of process " + pid + ", which has it open since ")
                    .contains("COUNTER", "VALUE");
            assertThat(counters(live.out()))
                    .containsEntry("commits", 3L)
                    .containsEntry("deviceErrors", 0L)
                    .containsKeys("deviceWrites", "logFlushRounds", "reaperScans", "grows");
            assertThat(mpool.ok("show", uuid, "--stats", "-o", "pid,state,counter,value", "--json")
                            .out())
                    .contains("{\"pid\": " + pid + ", \"state\": \"open\", \"counter\": \"commits\", \"value\": 3}");
            assertThat(mpool.ok("list", "st", "-o", "state", "--noheadings").out())
                    .isEqualTo("in use (pid " + pid + ")\n");
            MblockWriter w = pool.allocateMblock(MediaClass.CAPACITY);
            w.write(Mpool.allocateBuffer(arena, 4096));
            w.commit();
            assertThat(counters(mpool.ok("show", "st", "--stats").out()))
                    .as("live: the next read sees the next commit")
                    .containsEntry("commits", 4L);
        }
        Launcher.Run closed = mpool.ok("show", "st", "--stats");
        assertThat(closed.out()).startsWith("pool st: final counters of process " + pid + ", which had it open from ");
        assertThat(counters(closed.out())).containsEntry("commits", 4L);

        // a damaged page: reported, the pool untouched
        String lockDir = System.getenv().getOrDefault("MPOOL_LOCK_DIR", "/run/lock/mpool");
        Path page = Path.of(lockDir.isBlank() ? "/run/lock/mpool" : lockDir).resolve(uuid + ".stats");
        assertThat(page).exists();
        Files.write(page, "not a counter page".getBytes());
        assertThat(mpool.fails(1, "CORRUPT", "show", "st", "--stats").err())
                .contains(page.toString(), "the counts are lost, the pool is not");
        assertThat(mpool.ok("show", "st", "-o", "health", "--noheadings").out()).isEqualTo("optimal\n");
        mpool.ok("mblock", "put", "st", Files.writeString(dir.resolve("d"), "x").toString());
        assertThat(counters(mpool.ok("show", "st", "--stats").out()))
                .as("the next open for changes wrote a new page")
                .containsEntry("commits", 1L);
    }

    /** The COUNTER VALUE rows of {@code show --stats}. */
    private static Map<String, Long> counters(String out) {
        Map<String, Long> m = new LinkedHashMap<>();
        out.lines()
                .map(l -> l.strip().split("\\s+"))
                .filter(f -> f.length == 2 && f[1].matches("\\d+"))
                .forEach(f -> m.put(f[0], Long.parseLong(f[1])));
        return m;
    }

    @Test
    void staleEntriesAndLeftoversAreCleanedUp() throws Exception {
        // superblocks wiped outside the tool: destroy --force forgets the entry and wipes the staging device left
        Path cap1 = dir.resolve("st1.img");
        Path stg1 = dir.resolve("st1-fast.img");
        mpool.ok(
                "create",
                "st1",
                cap1.toString(),
                "--size",
                "64m",
                "--mblock-size",
                "1m",
                "--staging",
                stg1.toString(),
                "--staging-size",
                "32m");
        Mpool.wipe(cap1);
        assertThat(mpool.fails(1, "NOT_FOUND", "destroy", "st1", "--yes").err()).contains("--force");
        Launcher.Run destroyed = mpool.ok("destroy", "st1", "--force", "--yes");
        assertThat(destroyed.out()).contains("wiped " + stg1, "forgot pool st1");
        assertThat(Files.readString(registry)).doesNotContain("st1");
        assertThat(Mpool.probe(stg1)).isEmpty();

        // a staging device missing at destroy --force: named, and wipe clears it when it turns up
        Path cap2 = dir.resolve("st2.img");
        Path stg2 = dir.resolve("st2-fast.img");
        mpool.ok(
                "create",
                "st2",
                cap2.toString(),
                "--size",
                "64m",
                "--mblock-size",
                "1m",
                "--staging",
                stg2.toString(),
                "--staging-size",
                "32m");
        Path away = dir.resolve("away.img");
        Files.move(stg2, away);
        mpool.fails(1, "NOT_FOUND", "destroy", "st2", "--yes");
        Launcher.Run forced = mpool.ok("destroy", "st2", "--force", "--yes");
        assertThat(forced.err())
                .contains("wiped the superblocks of " + cap2, "last seen at " + stg2, "was not found", "mpool wipe");
        assertThat(Mpool.probe(cap2)).isEmpty();
        assertThat(Mpool.probe(away)).isPresent();
        assertThat(mpool.ok("wipe", away.toString(), "--yes").out())
                .contains("wiped " + away, "staging device of pool st2");
        assertThat(Mpool.probe(away)).isEmpty();

        // wipe refuses a device of a pool that is still whole; a name left stale is reused without warnings
        Path cap3 = dir.resolve("st3.img");
        mpool.ok("create", "st3", cap3.toString(), "--size", "64m", "--mblock-size", "1m");
        assertThat(mpool.fails(1, "INVALID_STATE", "wipe", cap3.toString(), "--yes")
                        .err())
                .contains("mpool destroy st3");
        Mpool.wipe(cap3);
        mpool.ok("create", "st3", dir.resolve("st3b.img").toString(), "--size", "64m", "--mblock-size", "1m");
        Launcher.Run list = mpool.ok("list", "-o", "mpool,state", "--noheadings");
        assertThat(list.out()).isEqualTo("st3  active\n");
        assertThat(list.err()).isEmpty();
    }

    @Test
    void roughEdgesAreClearErrors() throws Exception {
        Path dev = dir.resolve("re.img");
        mpool.ok("create", "re", dev.toString(), "--size", "64m", "--mblock-size", "1m");
        mpool.ok("create", "re2", dir.resolve("re2.img").toString(), "--size", "64m", "--mblock-size", "1m");

        Launcher.Run list = mpool.run("list", "re", "nosuch", "-o", "mpool", "--noheadings");
        assertThat(list.exit()).isEqualTo(1);
        assertThat(list.out()).isEqualTo("re\n");
        assertThat(list.err()).contains("no pool named 'nosuch'");
        assertThat(mpool.fails(2, "INVALID_ARGUMENT", "set", "re", "ra=32").err())
                .contains("unknown property 'ra'");
        mpool.fails(2, "INVALID_ARGUMENT", "get", "re", "ra");
        assertThat(mpool.ok("get", "re", "re2", "uid", "gid").out())
                .isEqualTo("MPOOL  PROPERTY  VALUE\nre     uid       root\nre     gid       disk\n"
                        + "re2    uid       root\nre2    gid       disk\n");
        assertThat(mpool.ok("get", "re", "-p", "uid,gid", "-n", "--noheadings").out())
                .isEqualTo("re  uid  0\nre  gid  6\n");

        Path x = dir.resolve("x.img");
        assertThat(mpool.fails(
                                2,
                                "INVALID_ARGUMENT",
                                "create",
                                "x",
                                x.toString(),
                                "--size",
                                "64m",
                                "--staging-mblock-size",
                                "4m")
                        .err())
                .contains("--staging DEVICE");
        assertThat(mpool.fails(2, "INVALID_ARGUMENT", "create", "x", x.toString(), "--size", "9223372036854775807")
                        .err())
                .contains("size out of range")
                .doesNotContain("-9223372036854775808");
        assertThat(mpool.fails(2, "INVALID_ARGUMENT", "create", "x", x.toString(), "--size", "64m", "--uid", "-5")
                        .err())
                .contains("user id must be a number from 0");
        Path empty = Files.createFile(dir.resolve("empty.img"));
        assertThat(mpool.fails(2, "INVALID_ARGUMENT", "create", "x", empty.toString())
                        .err())
                .contains("is empty")
                .doesNotContain("buffer size");
        assertThat(mpool.fails(1, "NOT_FOUND", "mblock", "put", "re", "/nonexistent")
                        .err())
                .contains("/nonexistent: no such file");
        assertThat(mpool.fails(2, "INVALID_ARGUMENT", "mblock", "put", "re", dir.toString())
                        .err())
                .contains("is a directory");
        assertThat(mpool.fails(1, "NOT_FOUND", "mblock", "put", "re", "-", "--class", "staging")
                        .err())
                .contains("mpool add re DEVICE --class staging")
                .doesNotContain("addStaging");

        // create refuses a device holding data nobody recognises, unless --force
        Path used = dir.resolve("used.img");
        byte[] junk = new byte[4096];
        new Random(7).nextBytes(junk);
        try (RandomAccessFile f = new RandomAccessFile(used.toFile(), "rw")) {
            f.setLength(64 * MIB);
            f.seek(64 * MIB - junk.length);
            f.write(junk);
        }
        assertThat(mpool.fails(1, "EXISTS", "create", "u", used.toString(), "--mblock-size", "1m")
                        .err())
                .contains(used.toString(), "unrecognised data", "last", "--force");
        mpool.ok("create", "u", used.toString(), "--mblock-size", "1m", "--force", "--yes");
    }

    @Test
    void outputWriteErrorsFail() throws Exception {
        mpool.ok("create", "out", dir.resolve("out.img").toString(), "--size", "64m", "--mblock-size", "1m");
        byte[] data = new byte[300_000];
        new Random(3).nextBytes(data);
        Launcher.Run put = mpool.runWithInput(data, "mblock", "put", "out", "-");
        String id = put.out().strip();
        String log = mpool.ok("mlog", "create", "out", "--capacity", "1m").out().strip();
        mpool.ok("mlog", "append", "out", log, "a", "b");
        Path full = Path.of("/dev/full");
        for (List<String> cmd :
                List.of(List.of("mblock", "get", "out", id), List.of("mlog", "cat", "out", log), List.of("list"))) {
            Launcher.Run r = mpool.runTo(full, cmd.toArray(String[]::new));
            assertThat(r.exit()).as("%s into /dev/full: %s", cmd, r.err()).isEqualTo(1);
            assertThat(r.err()).contains("cannot write to standard output", "No space left on device", "[IO]");
        }

        Path mnt = Files.createDirectory(dir.resolve("small"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=128k", "tmpfs", mnt.toString())
                .redirectErrorStream(true)
                .start();
        String why = new String(mount.getInputStream().readAllBytes());
        Assumptions.assumeTrue(
                mount.waitFor() == 0, "cannot mount a 128 KiB tmpfs here (" + why.strip() + "): skipping that part");
        try {
            Launcher.Run r = mpool.runTo(mnt.resolve("copy"), "mblock", "get", "out", id);
            assertThat(r.exit()).as(r.err()).isEqualTo(1);
            assertThat(r.err()).contains("No space left on device");
            assertThat(Files.size(mnt.resolve("copy"))).isLessThan(data.length);
        } finally {
            new ProcessBuilder("umount", mnt.toString()).start().waitFor();
        }
    }

    @Test
    void concurrentCreatesAreAllRegistered() throws Exception {
        int n = 12;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Launcher.Run>> runs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String name = "c" + i;
                Path dev = dir.resolve(name + ".img");
                runs.add(pool.submit(
                        () -> mpool.run("create", name, dev.toString(), "--size", "64m", "--mblock-size", "1m")));
            }
            for (Future<Launcher.Run> r : runs) {
                assertThat(r.get().exit()).as(r.get().err()).isZero();
            }
        } finally {
            pool.shutdown();
        }
        List<String> lines = Files.readAllLines(registry).stream()
                .filter(l -> !l.startsWith("#"))
                .toList();
        assertThat(lines).hasSize(n);
        assertThat(mpool.ok("list", "-o", "mpool", "--noheadings").out().lines())
                .hasSize(n);
    }
}
