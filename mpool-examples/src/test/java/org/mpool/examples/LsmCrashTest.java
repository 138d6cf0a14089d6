package org.mpool.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tour's orphan, made by a real process death: a child JVM flushes once, puts more, commits
 * a second table and halts before its manifest record — nothing closed, the pool not cleanly
 * closed. The reopen must delete the orphan and replay the WAL.
 */
class LsmCrashTest {
    static final int BATCHES = 5;

    @TempDir
    Path dir;

    @Test
    void aProcessKilledBetweenACommitAndItsManifestRecordLosesNothingAndLeaksNothing()
            throws IOException, InterruptedException {
        Path file = dir.resolve("crash.img");
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-ea",
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Child.class.getName(),
                        file.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue())
                .as("the child's exit status; it printed:%n%s", output)
                .isEqualTo(99);

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (LsmEngine db = LsmEngine.open(file, new PrintStream(printed, true, StandardCharsets.UTF_8), 0)) {
            assertThat(db.orphansDeleted).as("the second table's mblock").isEqualTo(1);
            assertThat(db.walRecordsReplayed).as("the batches after the flush").isEqualTo(BATCHES);
            assertThat(db.tables).hasSize(1);
            batch("v2").forEach((k, v) -> assertThat(db.get(k)).as(k).isEqualTo(v));
            assertThat(db.taggedObjects()).isEqualTo(db.namedObjects());
        }
    }

    /** The same keys each time: {@code c-0000} to {@code c-0999}, values tagged with {@code version}. */
    static SortedMap<String, String> batch(String version) {
        SortedMap<String, String> all = new TreeMap<>();
        for (int i = 0; i < BATCHES * LsmTour.BATCH; i++) {
            all.put(String.format("c-%04d", i), version + " of c-" + i);
        }
        return all;
    }

    /** The child: version 1 flushed, version 2 in the WAL and in an orphan table, then death. */
    static final class Child {
        public static void main(String[] args) {
            LsmEngine db = LsmEngine.open(Path.of(args[0]), System.out, 0);
            putInBatches(db, batch("v1"));
            db.flush();
            putInBatches(db, batch("v2"));
            List<?> orphan = db.flushButCrashBeforeManifest();
            System.out.println("committed " + orphan + "; halting");
            System.out.flush();
            Runtime.getRuntime().halt(99); // no close, no shutdown hooks: the process just ends
        }

        private static void putInBatches(LsmEngine db, SortedMap<String, String> all) {
            SortedMap<String, String> batch = new TreeMap<>();
            for (var e : all.entrySet()) {
                batch.put(e.getKey(), e.getValue());
                if (batch.size() == LsmTour.BATCH) {
                    db.put(batch);
                    batch = new TreeMap<>();
                }
            }
        }
    }
}
