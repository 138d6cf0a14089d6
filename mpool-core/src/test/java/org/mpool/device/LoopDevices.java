package org.mpool.device;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;

/** Attaches and detaches loop devices; tests that need one are skipped when that is impossible. */
final class LoopDevices {
    private LoopDevices() {}

    /** Attaches {@code backingFile} to a free loop device, or aborts the test with the reason. */
    static Path attach(Path backingFile) {
        assumeTrue(Commands.isRoot(), "loop device tests need root: skipped");
        Commands.Result r = Commands.run("losetup", "-f", "--show", backingFile.toString());
        assumeTrue(
                r.ok() && r.stdout().strip().startsWith("/dev/"),
                () -> "losetup -f --show " + backingFile + " failed (" + r + "): loop device test skipped");
        return Path.of(r.stdout().strip());
    }

    /** Detaches {@code loop}; throws if that fails, so a leaked loop device is never silent. */
    static void detach(Path loop) {
        Commands.Result r = Commands.run("losetup", "-d", loop.toString());
        if (!r.ok()) {
            throw new IllegalStateException("could not detach " + loop + ": " + r);
        }
    }
}
