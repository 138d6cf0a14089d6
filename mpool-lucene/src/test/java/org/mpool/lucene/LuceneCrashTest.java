package org.mpool.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.LockObtainFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpool.testing.Seeds;

/**
 * Crash safety as Lucene sees it: a child JVM ({@link CrashIndexer}) indexes into an {@link
 * MpoolDirectory} with commits, and is killed with SIGKILL at a random moment — while it starts,
 * recovers, indexes, flushes, merges or commits. After each kill the index opens, {@link
 * CheckIndex} finds it clean, and it holds exactly the documents of one commit: the last one the
 * child reported complete, or one it had begun after that (a commit is complete on the media
 * before the child can say so). Every document of the last completed commit is found. The next
 * round's child continues on the same index.
 *
 * <p>{@value #DEFAULT_ROUNDS} rounds by default; {@code -Dmpool.lucene.crash.rounds=N} (200 with
 * {@code -Pexplore}). Replay with {@code -Dmpool.seed=N}.
 */
class LuceneCrashTest {
    static final int DEFAULT_ROUNDS = 20;
    static final int ROUNDS = Integer.getInteger("mpool.lucene.crash.rounds", DEFAULT_ROUNDS);

    @TempDir
    Path folder;

    /** What the child said before it died. */
    record Said(long ready, long lastCommitted, List<Long> begun, String text) {}

    @Test
    void killedWhileIndexingTheIndexOpensCleanWithItsLastCommit() throws Exception {
        long base = Seeds.base("LuceneCrashTest");
        Random r = new Random(base);
        long docs = 0;
        int killedBeforeReady = 0;
        int lost = 0;
        int orphans = 0;
        for (int round = 0; round < ROUNDS; round++) {
            // One kill in five falls while the child starts (opens the pool, recovers, opens the
            // writer); the others while it indexes, flushes, merges and commits.
            boolean whileStarting = round > 0 && r.nextInt(5) == 0;
            long killAfterMillis = whileStarting ? r.nextInt(1000) : r.nextInt(2500);
            Said said = runAndKill(r.nextLong(), killAfterMillis, !whileStarting, round == 0);
            if (said.ready() < 0) {
                killedBeforeReady++;
            }
            try {
                // The last completed commit: what the child reported, or, if it reported none,
                // what the index held before it started.
                long completed = Math.max(docs, said.lastCommitted());
                docs = verify(completed, said.begun());
            } catch (AssertionError | Exception e) {
                throw new AssertionError(
                        "round " + round + " (killed after " + killAfterMillis + " ms) failed; base "
                                + Seeds.describe(base) + "; the child said:\n" + said.text(),
                        e);
            }
            try (MpoolDirectory d = new MpoolDirectory(folder)) {
                lost += d.openReport().lostFiles();
                orphans += d.openReport().orphansDeleted();
            }
        }
        System.out.printf(
                "LuceneCrashTest: %d rounds, %d documents at the end, %d kills before the writer was open;"
                        + " the opens dropped %d unsynced files and deleted %d orphans%n",
                ROUNDS, docs, killedBeforeReady, lost, orphans);
    }

    /**
     * Starts a child, kills it with SIGKILL {@code millis} after it said READY (or after it
     * started, unless {@code afterReady}), and returns what it said.
     */
    private Said runAndKill(long seed, long millis, boolean afterReady, boolean tryTheLock) throws Exception {
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-ea",
                        "--enable-native-access=ALL-UNNAMED",
                        "-Xmx512m",
                        "-Dmpool.lucene.poolSize=2g",
                        "-Dmpool.lucene.mblockSize=1m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        CrashIndexer.class.getName(),
                        folder.toString(),
                        Long.toString(seed))
                .redirectErrorStream(true)
                .start();
        List<String> lines = new ArrayList<>();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                }
            } catch (IOException e) {
                // the pipe closes with the child
            }
        });
        if (afterReady) {
            awaitLine(lines, "READY", 60_000);
        }
        if (tryTheLock) {
            // The child has the pool: another process gets neither the pool nor its locks.
            assertThatThrownBy(() -> new MpoolDirectory(folder)).isInstanceOf(LockObtainFailedException.class);
        }
        boolean exited = child.waitFor(millis, TimeUnit.MILLISECONDS);
        assertThat(exited).as("the child indexes until it is killed").isFalse();
        child.destroyForcibly(); // SIGKILL: no shutdown hook, nothing closed or flushed
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        reader.join(30_000);
        long ready = -1;
        long committed = 0;
        List<Long> begun = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        synchronized (lines) {
            for (String line : lines) {
                text.append(line).append('\n');
                String[] w = line.split(" ");
                switch (w[0]) {
                    case "READY" -> {
                        ready = Long.parseLong(w[1]);
                        committed = ready;
                    }
                    case "BEGIN" -> begun.add(Long.parseLong(w[1]));
                    case "COMMIT" -> committed = Long.parseLong(w[1]);
                    default -> {} // the JVM's own messages, if any
                }
            }
        }
        return new Said(ready, committed, begun, text.toString());
    }

    private static void awaitLine(List<String> lines, String prefix, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < deadline) {
            synchronized (lines) {
                if (lines.stream().anyMatch(l -> l.startsWith(prefix))) {
                    return;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the child did not say " + prefix + " within " + millis + " ms: " + lines);
    }

    /** Opens the index, checks it, and returns how many documents it holds. */
    private long verify(long completed, List<Long> begun) throws IOException {
        try (MpoolDirectory dir = new MpoolDirectory(folder)) {
            if (!DirectoryReader.indexExists(dir)) {
                assertThat(completed).as("no commit was completed").isZero();
                return 0;
            }
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            try (CheckIndex check = new CheckIndex(dir)) {
                check.setInfoStream(new PrintStream(log, true, StandardCharsets.UTF_8));
                CheckIndex.Status status = check.checkIndex();
                assertThat(status.clean).as("CheckIndex:\n" + log).isTrue();
            }
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                long n = reader.numDocs();
                assertThat(n).as("documents of the last completed commit").isGreaterThanOrEqualTo(completed);
                assertThat(n == completed || begun.contains(n))
                        .as(n + " documents: the size of a commit the child made or began (completed " + completed
                                + ", begun " + begun + ")")
                        .isTrue();
                BitSet ids = new BitSet();
                for (LeafReaderContext leaf : reader.leaves()) {
                    NumericDocValues values = leaf.reader().getNumericDocValues("n");
                    for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
                        ids.set(Math.toIntExact(values.longValue()));
                    }
                }
                assertThat(ids.cardinality()).as("distinct ids").isEqualTo(n);
                assertThat(ids.nextClearBit(0))
                        .as("ids 0.." + (n - 1) + " all present")
                        .isEqualTo(n);
                if (n > 0) {
                    IndexSearcher searcher = new IndexSearcher(reader);
                    assertThat(searcher.count(new TermQuery(new Term("id", Long.toString(n - 1)))))
                            .isEqualTo(1);
                }
                return n;
            }
        }
    }
}
