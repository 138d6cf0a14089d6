package org.mpool.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mpool.Mpool;
import org.mpool.common.CreateOptions;
import org.mpool.common.MpoolException;
import org.mpool.common.ObjectId;
import org.mpool.common.ObjectInfo;
import org.mpool.testing.FaultInjectingDevice;
import org.mpool.testing.MemoryDevice;
import org.mpool.testing.MemoryDevices;
import org.mpool.testing.Seeds;

/**
 * Power loss under Lucene's commit protocol, on a device that models a volatile write cache
 * ({@link FaultInjectingDevice}): a write is durable only once a later flush completes; at the
 * crash every unflushed write is kept, torn or lost at random. The workload commits as
 * IndexWriter does — write the segment's files, write {@code pending_segments_N} naming them,
 * {@code sync} all of them, {@code rename} it to {@code segments_N}, {@code syncMetaData}, then
 * delete the files of commits two back — and power fails at a random write.
 *
 * <p>After each crash the pool and the directory open (no error), the last commit whose
 * syncMetaData returned is there with every file it names, byte for byte; any newer
 * {@code segments_N} the crash left has all its files too; and no object with the directory's
 * tag is left that no file names. Pools on memory devices cannot be mapped: inputs read files
 * with direct I/O there, which this also covers. Replay a failure with {@code -Dmpool.seed=N}
 * (the base seed printed); {@code -Dmpool.lucene.powerloss.trials=N} runs more trials (12 by
 * default, 200 with {@code -Pexplore}).
 */
class PowerLossTest {
    static final int MiB = 1 << 20;
    static final int TRIALS = Integer.getInteger("mpool.lucene.powerloss.trials", 12);

    /** What a commit wrote: its segments file's name and every file it names, with their bytes. */
    record Commit(int gen, Map<String, byte[]> files) {}

    @Test
    void everyCompletedCommitSurvivesPowerLossAtAnyWrite() throws Exception {
        long base = Seeds.base("PowerLossTest");
        for (int t = 0; t < TRIALS; t++) {
            long seed = Seeds.derive(base, t);
            try {
                trial(seed);
            } catch (AssertionError | Exception e) {
                throw new AssertionError("trial " + t + " failed; base " + Seeds.describe(base), e);
            }
        }
    }

    private static CreateOptions options() {
        return new CreateOptions().size(64L * MiB).mblockSize(MiB).shards(1);
    }

    private void trial(long seed) throws Exception {
        // A dry run counts the writes of the whole workload; the crash falls at one of them.
        long total;
        try (FaultInjectingDevice fid = FaultInjectingDevice.forCrashes(new MemoryDevice("cap", 64L * MiB))) {
            MemoryDevices devices = MemoryDevices.serving(fid);
            try (Mpool pool = Mpool.create("pl", MemoryDevices.DEFAULT_PATH, options(), devices)) {
                workload(pool, seed, new ArrayList<>());
            }
            total = fid.writeCount();
        }
        Random r = new Random(seed);
        List<Commit> done = new ArrayList<>();
        try (FaultInjectingDevice fid = FaultInjectingDevice.forCrashes(new MemoryDevice("cap", 64L * MiB))) {
            MemoryDevices devices = MemoryDevices.serving(fid);
            Mpool pool = Mpool.create("pl", MemoryDevices.DEFAULT_PATH, options(), devices);
            long created = fid.writeCount();
            fid.crashAfterWrites(created + (long) (r.nextDouble() * (total - created)));
            try {
                workload(pool, seed, done);
            } catch (IOException | MpoolException expected) {
                // the power failed
            }
            try {
                pool.close();
            } catch (MpoolException expected) {
                // flushing at close fails too: the power is off
            }
            try (MemoryDevice image = fid.crashImage(seed);
                    Mpool reopened = Mpool.open(MemoryDevices.DEFAULT_PATH, MemoryDevices.serving(image));
                    MpoolDirectory d = MpoolDirectory.open(reopened, "d")) {
                check(d, done);
            }
        }
    }

    /** Commits 6 times; {@code done} gets each commit once its syncMetaData returned. */
    private static void workload(Mpool pool, long seed, List<Commit> done) throws IOException {
        Random r = new Random(seed);
        try (MpoolDirectory d = MpoolDirectory.open(pool, "d")) {
            List<Commit> live = new ArrayList<>();
            for (int gen = 1; gen <= 6; gen++) {
                Map<String, byte[]> files = new LinkedHashMap<>();
                int n = 1 + r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    int size = switch (r.nextInt(4)) {
                        case 0 -> r.nextInt(4097); // inline
                        case 1 -> 4097 + r.nextInt(MiB);
                        case 2 -> MiB * (1 + r.nextInt(2)); // whole mblocks
                        default -> MiB + r.nextInt(3 * MiB / 2);
                    };
                    String name = "_" + gen + "_" + i + ".bin";
                    byte[] data = Files2.bytes(r.nextLong(), size);
                    Files2.write(d, name, data);
                    files.put(name, data);
                }
                String pending = "pending_segments_" + gen;
                byte[] list = String.join("\n", files.keySet()).getBytes(StandardCharsets.UTF_8);
                Files2.write(d, pending, list);
                List<String> toSync = new ArrayList<>(files.keySet());
                toSync.add(pending);
                d.sync(toSync);
                d.rename(pending, "segments_" + gen);
                d.syncMetaData();
                Map<String, byte[]> all = new LinkedHashMap<>(files);
                all.put("segments_" + gen, list);
                Commit c = new Commit(gen, all);
                done.add(c);
                live.add(c);
                if (live.size() > 2) { // what IndexWriter's deletion policy drops after a commit
                    Commit old = live.removeFirst();
                    d.deleteFile("segments_" + old.gen()); // first, as IndexFileDeleter does
                    for (String f : old.files().keySet()) {
                        if (!f.startsWith("segments_")) {
                            d.deleteFile(f);
                        }
                    }
                }
            }
        }
    }

    private static void check(MpoolDirectory d, List<Commit> done) throws IOException {
        Set<String> names = Set.of(d.listAll());
        if (!done.isEmpty()) {
            Commit last = done.getLast();
            for (var e : last.files().entrySet()) {
                assertThat(names).as("commit " + last.gen() + " completed").contains(e.getKey());
                assertThat(Files2.read(d, e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
            }
        }
        // A newer segments_N the crash left behind names files that were synced before it.
        for (String name : names) {
            if (name.startsWith("segments_")) {
                byte[] list = Files2.read(d, name);
                for (String f : new String(list, StandardCharsets.UTF_8).split("\n")) {
                    if (!f.isEmpty()) {
                        assertThat(names).as(name + " names " + f).contains(f);
                    }
                }
            }
        }
        // Nothing with the directory's tag is left that no file names.
        Set<ObjectId> named = new HashSet<>();
        for (String name : names) {
            named.addAll(d.mblocks(name));
        }
        named.add(d.store().catalogStats().id());
        assertThat(d.pool().objects(d.ownerTag()))
                .extracting(ObjectInfo::id)
                .containsExactlyInAnyOrderElementsOf(named);
    }
}
