package org.mpool.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ProcLocks#major} and {@link ProcLocks#minor} decode st_dev exactly as glibc does. */
class DeviceNumbersTest {

    /** glibc's gnu_dev_makedev: 32-bit major and minor packed into a 64-bit dev_t. */
    static long makedev(long major, long minor) {
        return ((major & 0x00000fffL) << 8)
                | ((major & 0xfffff000L) << 32)
                | (minor & 0x000000ffL)
                | ((minor & 0xffffff00L) << 12);
    }

    @Test
    void knownDevicesDecode() {
        assertThat(ProcLocks.major(0x810)).as("sdb").isEqualTo(8);
        assertThat(ProcLocks.minor(0x810)).as("sdb").isEqualTo(16);
        assertThat(ProcLocks.major(makedev(259, 3))).as("nvme0n1p3").isEqualTo(259);
        assertThat(ProcLocks.minor(makedev(259, 3))).as("nvme0n1p3").isEqualTo(3);
        assertThat(ProcLocks.major(0xfd01)).as("dm-1").isEqualTo(0xfd);
        assertThat(ProcLocks.minor(0xfd01)).as("dm-1").isEqualTo(1);
        assertThat(ProcLocks.minor(0x12300045L)).as("a 20-bit minor").isEqualTo(0x12345);
    }

    @Property
    void decodingInvertsGlibcMakedev(
            @ForAll @LongRange(min = 0, max = 0xffffffffL) long major,
            @ForAll @LongRange(min = 0, max = 0xffffffffL) long minor) {
        long dev = makedev(major, minor);
        assertThat(ProcLocks.major(dev)).as("major of 0x%x", dev).isEqualTo(major);
        assertThat(ProcLocks.minor(dev)).as("minor of 0x%x", dev).isEqualTo(minor);
    }

    @Test
    void aRealFileDecodesAsStatReportsIt(@TempDir Path dir) throws IOException {
        Path file = Files.createFile(dir.resolve("f"));
        StatDevice stat = StatDevice.of(file);
        assumeTrue(stat != null, "stat(1) does not print %Hd:%Ld here: skipped");
        long dev = ((Number) Files.getAttribute(file, "unix:dev")).longValue();
        assertThat(ProcLocks.major(dev)).isEqualTo(stat.major());
        assertThat(ProcLocks.minor(dev)).isEqualTo(stat.minor());
    }

    /** The major and minor number stat(1) prints for a file's device. */
    record StatDevice(long major, long minor) {
        static StatDevice of(Path file) {
            try {
                Process p = new ProcessBuilder("stat", "--format=%Hd:%Ld", file.toString()).start();
                String out = new String(p.getInputStream().readAllBytes()).strip();
                if (p.waitFor() != 0 || !out.matches("\\d+:\\d+")) {
                    return null;
                }
                String[] mm = out.split(":");
                return new StatDevice(Long.parseLong(mm[0]), Long.parseLong(mm[1]));
            } catch (IOException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }
}
