package org.mpool.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpool.Mpool;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;

/** Finding pools: by name, UUID or device; entries of the first format; names two pools share; moves. */
class PoolLocatorTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream notes = new ByteArrayOutputStream();

    private PoolLocator locator() {
        return new PoolLocator(
                new Registry(dir.resolve("pools")), new PrintStream(notes, true, StandardCharsets.UTF_8));
    }

    private UUID create(String name, Path device) {
        try (Mpool p =
                Mpool.create(name, device, new CreateOptions().size(64L << 20).mblockSize(1 << 20))) {
            return p.uuid();
        }
    }

    @Test
    void aFirstFormatEntryIsFoundAndGetsItsUuid() throws Exception {
        Path dev = dir.resolve("old.img");
        UUID uuid = create("old", dev);
        Files.writeString(dir.resolve("pools"), "# before UUIDs\nold\t" + dev + "\n");
        PoolLocator.Found f = locator().find("old");
        assertThat(f.uuid()).isEqualTo(uuid);
        assertThat(f.active())
                .as("an entry of the first format was usable: active")
                .isTrue();
        assertThat(Files.readString(dir.resolve("pools"))).contains("old\t" + uuid + "\tactive\tcapacity=" + dev);
        assertThat(locator().find(uuid.toString()).capacity()).isEqualTo(dev);
        assertThat(locator().find(dev.toString()).name()).isEqualTo("old");
    }

    @Test
    void aNameTwoPoolsShareIsRefusedAndTheirUuidsTellThemApart() {
        Path a = dir.resolve("a.img");
        Path b = dir.resolve("b.img");
        UUID ua = create("twin", a);
        UUID ub = create("twin", b);
        PoolLocator locator = locator();
        locator.registry().put(new Registry.Entry("twin", ua, true, Map.of(MediaClass.CAPACITY, a)));
        locator.registry().put(new Registry.Entry("twin", ub, false, Map.of(MediaClass.CAPACITY, b)));
        assertThatThrownBy(() -> locator.find("twin"))
                .isInstanceOf(MpoolException.class)
                .hasMessageContaining("2 pools are named 'twin'")
                .hasMessageContaining(ua.toString())
                .hasMessageContaining(ub.toString())
                .extracting(e -> ((MpoolException) e).code())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(locator.find(ub.toString()).capacity()).isEqualTo(b);
        assertThat(locator.find(ub.toString()).active()).isFalse();
    }

    @Test
    void aMovedCapacityDeviceIsFollowedOnTheSearchPath() throws Exception {
        Path dev = dir.resolve("m.img");
        UUID uuid = create("m", dev);
        PoolLocator locator = locator();
        locator.registry().put(new Registry.Entry("m", uuid, true, Map.of(MediaClass.CAPACITY, dev)));
        Path moved = Files.createDirectory(dir.resolve("sub")).resolve("m.img");
        Files.move(dev, moved);
        assertThatThrownBy(() -> locator.find("m"))
                .hasMessageContaining("registered on " + dev)
                .hasMessageContaining("--search")
                .hasMessageContaining("destroy m --force");
        assertThat(locator.find("m", List.of(moved)).capacity()).isEqualTo(moved);
        assertThat(notes.toString(StandardCharsets.UTF_8)).contains("pool m found at " + moved, "registry updated");
        assertThat(locator().find("m").capacity()).as("the entry followed it").isEqualTo(moved);
    }

    @Test
    void aRegistryThatCannotBeWrittenDoesNotFailALookup() throws Exception {
        Path dev = dir.resolve("r.img");
        create("r", dev);
        Path pools = dir.resolve("pools");
        Files.writeString(pools, "r\t" + dev + "\n");
        Path blocker = Files.createDirectory(dir.resolve("pools.lock")); // the lock file cannot be opened
        try {
            assertThat(locator().find("r").name()).isEqualTo("r");
            assertThat(notes.toString(StandardCharsets.UTF_8)).contains("warning", "cannot update the pool registry");
        } finally {
            Files.delete(blocker);
        }
    }

    @Test
    void renamingOntoTheNameOfAPoolThatIsGoneForgetsIt() {
        Path gone = dir.resolve("gone.img");
        UUID goneUuid = create("target", gone);
        Path dev = dir.resolve("src.img");
        UUID uuid = create("src", dev);
        PoolLocator locator = locator();
        locator.registry().put(new Registry.Entry("target", goneUuid, true, Map.of(MediaClass.CAPACITY, gone)));
        locator.registry().put(new Registry.Entry("src", uuid, true, Map.of(MediaClass.CAPACITY, dev)));
        Mpool.wipe(gone);
        System.setProperty("mpool.config", dir.resolve("pools").toString());
        PrintStream out = System.out;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            assertThat(MpoolCommand.execute("rename", "src", "target")).isZero();
        } finally {
            System.setOut(out);
            System.clearProperty("mpool.config");
        }
        assertThat(locator.registry().entries())
                .extracting(Registry.Entry::name, Registry.Entry::uuid)
                .containsExactly(tuple("target", uuid));
        assertThat(locator().find("target").capacity()).isEqualTo(dev);
    }
}
