package org.mpool.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;

/** The registry's lines, its first format, and changes that lose nothing when made at once. */
class RegistryTest {
    @TempDir
    Path dir;

    private static Registry.Entry entry(String name, boolean active) {
        return new Registry.Entry(
                name,
                UUID.nameUUIDFromBytes(name.getBytes()),
                active,
                Map.of(MediaClass.CAPACITY, Path.of("/d/" + name + ".img"), MediaClass.STAGING, Path.of("/f/" + name)));
    }

    @Test
    void linesRoundTrip() {
        Registry.Entry e = entry("mp1", true);
        String line = Registry.format(e);
        assertThat(line).isEqualTo("mp1\t" + e.uuid() + "\tactive\tcapacity=/d/mp1.img\tstaging=/f/mp1");
        assertThat(Registry.parse(line)).isEqualTo(e);
        assertThat(Registry.parse(Registry.format(e.withActive(false)))).isEqualTo(e.withActive(false));
    }

    @Test
    void theFirstFormatReadsAsAnActivePoolOfUnknownUuid() {
        Registry.Entry e = Registry.parse("old\t/var/tmp/old.img");
        assertThat(e.name()).isEqualTo("old");
        assertThat(e.uuid()).isNull();
        assertThat(e.active()).isTrue();
        assertThat(e.capacity()).isEqualTo(Path.of("/var/tmp/old.img"));
    }

    @Test
    void linesNotUnderstoodNameNoPool() {
        for (String line : List.of(
                "",
                "# comment",
                "one-field",
                "a\tb\tc",
                "a\tnot-a-uuid\tactive\tcapacity=/x",
                "a\t-\tmaybe\tcapacity=/x")) {
            assertThat(Registry.parse(line)).as("'%s'", line).isNull();
        }
        assertThat(Registry.parse("a\t-\tinactive\tstaging=/x"))
                .as("no capacity device")
                .isNull();
    }

    @Test
    void putReplacesThePoolAndRemoveForgetsIt() throws Exception {
        Registry r = new Registry(dir.resolve("sub/pools"));
        assertThat(r.entries()).isEmpty();
        r.put(entry("a", true));
        r.put(entry("b", true));
        r.put(entry("a", false));
        assertThat(r.entries()).containsExactly(entry("b", true), entry("a", false));
        r.remove(entry("b", true).uuid(), "b");
        assertThat(r.entries()).containsExactly(entry("a", false));
        try (Stream<Path> files = Files.list(dir.resolve("sub"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("no temporary file left")
                    .containsExactlyInAnyOrder("pools", "pools.lock");
        }
    }

    @Test
    void aPathTheRegistryCannotHoldIsRefused() {
        assertThatThrownBy(() -> Registry.checkPath(Path.of("/tmp/a\tb")))
                .isInstanceOf(MpoolException.class)
                .hasMessageContaining("tab");
    }

    @Test
    void concurrentChangesLoseNoEntry() throws Exception {
        Registry r = new Registry(dir.resolve("pools"));
        int threads = 16;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            String name = "p" + i;
            all.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    for (int round = 0; round < 5; round++) {
                        new Registry(r.file()).put(entry(name, round % 2 == 0)); // a registry object per "command"
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        start.countDown();
        for (Thread t : all) {
            t.join();
        }
        assertThat(r.entries()).hasSize(threads);
        assertThat(r.entries()).allMatch(Registry.Entry::active);
    }
}
