package org.mpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        Launcher.Run scan = mpool.ok("scan", movedCap.toString(), "-o", "device,class,state", "--noheadings");
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
