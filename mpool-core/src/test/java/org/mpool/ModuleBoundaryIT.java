package org.mpool;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;

/**
 * Runs on the module path (Failsafe, useModulePath): mpool-core is the named module
 * org.mpool.core, exports exactly the client API, and works as a module (native access granted
 * to it by name) — a pool is made, written, read and reopened through the exports alone.
 */
class ModuleBoundaryIT {
    @Test
    void theCoreIsANamedModuleExportingTheClientApiOnly() {
        Module core = Mpool.class.getModule();
        assertThat(core.isNamed()).as("mpool-core runs as a named module here").isTrue();
        assertThat(core.getName()).isEqualTo("org.mpool.core");
        Set<String> exported = core.getDescriptor().exports().stream()
                .filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet());
        assertThat(exported).containsExactlyInAnyOrder("org.mpool", "org.mpool.common", "org.mpool.spi");
        assertThat(core.getDescriptor().requires())
                .extracting(ModuleDescriptor.Requires::name)
                .as("no runtime dependencies beyond the JDK: java.base, and jdk.jfr for Flight Recorder events")
                .containsOnly("java.base", "jdk.jfr");
        assertThat(core.isNativeAccessEnabled())
                .as("--enable-native-access=org.mpool.core")
                .isTrue();
    }

    @Test
    void aPoolWorksThroughTheExportsAlone(@TempDir Path dir) {
        Path file = dir.resolve("module.img");
        byte[] data = "through the module boundary".getBytes();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = Mpool.allocateBuffer(arena, 4096);
            buf.asSlice(0, data.length).copyFrom(MemorySegment.ofArray(data));
            Object id;
            try (Mpool pool = Mpool.create(
                    "modular", file, new CreateOptions().size(64L << 20).mblockSize(1 << 20))) {
                MblockWriter w = pool.allocateMblock(MediaClass.CAPACITY);
                w.write(buf.asSlice(0, data.length));
                w.commit();
                id = w.id();
            }
            try (Mpool pool = Mpool.open(file)) {
                MemorySegment back = Mpool.allocateBuffer(arena, 4096);
                pool.readMblock(pool.objects().getFirst().id(), 0, back);
                assertThat(back.asSlice(0, data.length).toArray(ValueLayout.JAVA_BYTE))
                        .isEqualTo(data);
                assertThat(pool.objects()).extracting(o -> (Object) o.id()).isEqualTo(List.of(id));
            }
        }
    }
}
