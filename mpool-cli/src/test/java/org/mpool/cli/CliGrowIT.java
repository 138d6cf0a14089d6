package org.mpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpool.MblockWriter;
import org.mpool.Mpool;
import org.mpool.common.MediaClass;

/**
 * {@code mpool grow} through the real launcher, as an operator grows a pool after growing its
 * file (or volume): list and show follow, objects written before and after survive, a size below
 * the pool's is refused and the pool never shrinks. Crashes during a grow are the core's
 * (GrowCrashExplorerTest).
 */
class CliGrowIT {
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    private Launcher mpool;

    @BeforeEach
    void setUp() {
        mpool = new Launcher(dir.resolve("registry"));
    }

    private long total(String pool, String mediaClass) throws Exception {
        return Long.parseLong(mpool.ok("show", pool, "-o", "class,total", "--units", "b", "--noheadings")
                .out()
                .lines()
                .map(l -> l.strip().split("\\s+"))
                .filter(f -> f[0].equals(mediaClass))
                .findFirst()
                .orElseThrow()[1]);
    }

    @Test
    void aGrownFileOrAGrowToASizeAddsZonesThatListShowAndObjectsUse() throws Exception {
        Path cap = dir.resolve("cap.img");
        Path staging = dir.resolve("fast.img");
        mpool.ok(
                "create",
                "gr",
                cap.toString(),
                "--size",
                "64m",
                "--mblock-size",
                "1m",
                "--staging",
                staging.toString(),
                "--staging-size",
                "32m");
        Path data = Files.writeString(dir.resolve("data"), "before the grow");
        String before = mpool.ok("mblock", "put", "gr", data.toString()).out().strip();
        assertThat(total("gr", "capacity")).isEqualTo(64 * MIB);

        // the operator grows the file first (as lvextend grows a volume), then the pool
        try (RandomAccessFile f = new RandomAccessFile(cap.toFile(), "rw")) {
            f.setLength(128 * MIB + 4096); // not a whole number of mblocks: the rest stays unused
        }
        assertThat(total("gr", "capacity")).as("nothing changes before grow").isEqualTo(64 * MIB);
        Launcher.Run grow = mpool.ok("grow", "gr");
        assertThat(grow.out())
                .isEqualTo("grew the capacity class of pool gr on " + cap
                        + " from 64.0 MiB to 128.0 MiB (64 more mblocks of 1.0 MiB)\n");
        assertThat(total("gr", "capacity")).isEqualTo(128 * MIB);
        assertThat(mpool.ok("list", "gr", "-o", "total", "--units", "m", "--noheadings")
                        .out())
                .as("list sums both classes")
                .isEqualTo("160\n");
        assertThat(mpool.ok("grow", "gr").out()).as("again: nothing more").contains("nothing to grow");

        // a file grown to a size; the staging class too
        mpool.ok("grow", "gr", "--size", "192m");
        assertThat(Files.size(cap)).isEqualTo(192 * MIB);
        assertThat(total("gr", "capacity")).isEqualTo(192 * MIB);
        assertThat(mpool.ok("grow", "gr", "--class", "staging", "--size", "48m").out())
                .contains("grew the staging class of pool gr on " + staging + " from 32.0 MiB to 48.0 MiB");
        assertThat(total("gr", "staging")).isEqualTo(48 * MIB);

        // never smaller; the pool is the same pool
        assertThat(mpool.fails(2, "INVALID_ARGUMENT", "grow", "gr", "--size", "100m")
                        .err())
                .contains("never shrinks", "201326592");
        assertThat(total("gr", "capacity")).isEqualTo(192 * MIB);
        mpool.ok("deactivate", "gr");
        mpool.fails(1, "INVALID_STATE", "grow", "gr");
        mpool.ok("activate", "gr");
        assertThat(mpool.ok("check", "gr").exit()).isZero();
        assertThat(mpool.ok("mblock", "get", "gr", before).out()).isEqualTo("before the grow");
        // the new zones take objects: more mblocks than the old size held
        try (Mpool pool = Mpool.open(cap, List.of(staging));
                Arena arena = Arena.ofConfined()) {
            MemorySegment page = Mpool.allocateBuffer(arena, 4096);
            for (int i = 0; i < 100; i++) {
                MblockWriter w = pool.allocateMblock(MediaClass.CAPACITY);
                w.write(page);
                w.commit();
            }
        }
        assertThat(mpool.ok("show", "gr", "-o", "class,mblocks", "--noheadings")
                        .out()
                        .lines())
                .contains("capacity  101");
    }
}
