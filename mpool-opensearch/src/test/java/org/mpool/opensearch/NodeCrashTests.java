package org.mpool.opensearch;

import com.carrotsearch.randomizedtesting.annotations.ThreadLeakFilters;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.opensearch.test.BouncyCastleThreadFilter;
import org.opensearch.test.OpenSearchTestCase;

/**
 * A node dies while indexing: a child JVM running one OpenSearch node on mpool is killed with
 * SIGKILL at a random moment (0.2 to 4 s after its first acknowledged bulk: during bulks, flushes,
 * merges), then started again on the same
 * data. The node must come back green with every document it acknowledged. Repeated on the same
 * data, each round adding documents ({@code -Dmpool.opensearch.crash.rounds=N}, 3 by default).
 *
 * <p>Why a child JVM and kill -9: it is a real process death (no shutdown hook, no close, locks
 * released by the kernel) with every layer in play — OpenSearch's translog, Lucene's commits, the
 * commit point in the folder and the pool beside it. What a kill does not lose is the page cache:
 * power loss of the pool itself is covered below it by mpool-lucene's PowerLossTest (fault-injecting
 * device) and by mpool-core's crash explorers.
 */
@ThreadLeakFilters(filters = {BouncyCastleThreadFilter.class, MpoolThreadFilter.class})
public class NodeCrashTests extends OpenSearchTestCase {
    private static final int ROUNDS = Integer.getInteger("mpool.opensearch.crash.rounds", 3);

    public void testAcknowledgedDocumentsSurviveKill9() throws Exception {
        Path home = createTempDir().toAbsolutePath();
        Path acks = home.resolve("acked.txt");
        List<String> acked = new ArrayList<>();
        for (int round = 0; round <= ROUNDS; round++) {
            boolean last = round == ROUNDS;
            long killAfterMillis = last ? -1 : between(200, 4000);
            // Each child checks what the one before acknowledged, then (but the last) indexes
            // more until it is killed.
            List<String> said = runChild(
                    List.of(
                            home.toString(),
                            acks.toString(),
                            Long.toString(last ? -1 : round * 1_000_000L),
                            Long.toString(randomLong())),
                    "READY",
                    killAfterMillis);
            if (round > 0) {
                String result = said.stream()
                        .filter(l -> l.startsWith("VERIFIED") || l.startsWith("HEALTH") || l.startsWith("MISSING"))
                        .reduce("", (a, b) -> a + b + "\n");
                logger.info("after kill {}: {}", round, result.trim().replace('\n', ' '));
                assertTrue("green after the restart:\n" + result, result.contains("HEALTH GREEN\n"));
                assertTrue(
                        "every acknowledged document found:\n" + result,
                        result.contains("VERIFIED acked=" + acked.size() + " missing=0 "));
            }
            if (last) {
                break;
            }
            int before = acked.size();
            boolean flushed = false;
            for (String line : said) {
                if (line.startsWith("ACK ")) {
                    String[] p = line.split(" ");
                    for (long id = Long.parseLong(p[1]); id <= Long.parseLong(p[2]); id++) {
                        acked.add(Long.toString(id));
                    }
                }
                flushed |= line.equals("FLUSHED");
            }
            logger.info(
                    "kill {}: {} ms after the first acknowledged bulk, {} documents acknowledged before it{}",
                    round + 1,
                    killAfterMillis,
                    acked.size() - before,
                    flushed ? " (after at least one flush)" : "");
            assertFalse(
                    "the pool files are in the node's data folder",
                    poolFiles(home).isEmpty());
            Files.write(acks, acked);
        }
    }

    private static List<Path> poolFiles(Path home) throws IOException {
        try (Stream<Path> s = Files.walk(home.resolve("data"))) {
            return s.filter(p -> p.getFileName().toString().equals(MpoolStoreClusterTests.POOL_FILE))
                    .toList();
        }
    }

    /**
     * Runs {@link CrashNode} with {@code args}; when {@code killAfterMillis >= 0}, kills it with
     * SIGKILL that long after it printed {@code readyLine}, otherwise waits for it to exit.
     */
    private List<String> runChild(List<String> args, String readyLine, long killAfterMillis) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-ea",
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx512m",
                "-Djna.noclasspath=true",
                "-Djna.nosys=true",
                "-Dtests.security.manager=false",
                "-cp",
                childClassPath(),
                CrashNode.class.getName()));
        command.addAll(args);
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        Thread reader = Thread.ofPlatform().name("crash-child-reader").daemon().start(() -> {
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
        try {
            if (killAfterMillis >= 0) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
                // The kill timer starts at the first acknowledged bulk: on a loaded machine a
                // timer started at READY can fire before anything was acknowledged.
                while (!contains(lines, readyLine) || !anyStartsWith(lines, "ACK ")) {
                    assertTrue("the child ended before its first ACK:\n" + tail(lines), child.isAlive());
                    assertTrue("no first ACK in 180 s:\n" + tail(lines), System.nanoTime() < deadline);
                    Thread.sleep(50);
                }
                assertFalse(
                        "the child indexes until it is killed", child.waitFor(killAfterMillis, TimeUnit.MILLISECONDS));
                child.destroyForcibly(); // SIGKILL
            }
            assertTrue("the child ended", child.waitFor(180, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
            reader.join(30_000);
        }
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    /** This JVM's class path without randomizedtesting and Lucene's test framework (see {@link CrashNode}). */
    private static String childClassPath() {
        String[] entries = System.getProperty("java.class.path").split(File.pathSeparator);
        List<String> kept = new ArrayList<>();
        for (String e : entries) {
            if (!e.contains("randomizedtesting") && !e.contains("lucene-test-framework")) {
                kept.add(e);
            }
        }
        assertTrue("the class path lists the test's jars: " + entries.length, entries.length > 10);
        return String.join(File.pathSeparator, kept);
    }

    private static boolean anyStartsWith(List<String> lines, String prefix) {
        synchronized (lines) {
            return lines.stream().anyMatch(l -> l.startsWith(prefix));
        }
    }

    private static boolean contains(List<String> lines, String line) {
        synchronized (lines) {
            return lines.contains(line);
        }
    }

    private static String tail(List<String> lines) {
        synchronized (lines) {
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        }
    }
}
