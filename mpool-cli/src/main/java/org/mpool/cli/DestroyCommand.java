package org.mpool.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mpool.Mpool;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "destroy",
        mixinStandardHelpOptions = true,
        description = "Destroy a pool: wipe the superblocks of its devices so nothing recognises them as a pool. "
                + "Object data is not erased; files stay in place.",
        footer = {
            "",
            "Examples:",
            "  mpool destroy mp1",
            "  mpool destroy mp1 --yes",
            "  mpool destroy mp1 --force --yes   # even if the pool cannot be opened"
        })
final class DestroyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(
            names = "--force",
            description = "Wipe the capacity device's superblocks even if the pool cannot be opened.")
    boolean force;

    @Option(
            names = {"-y", "--yes"},
            description = "Do not ask for confirmation.")
    boolean yes;

    @Override
    public Integer call() {
        PoolLocator locator = Cli.locator();
        Path device = locator.capacityDevice(name);
        Cli.confirm("Destroy pool '" + name + "' on " + device + "?", yes);
        try (Mpool pool = Mpool.open(device)) {
            pool.destroy();
        } catch (MpoolException e) {
            if (!force || e.code() == ErrorCode.LOCKED) {
                throw e; // never act on a device another process is using
            }
            Mpool.wipe(device);
            System.err.println("mpool: destroy: " + name + ": could not open the pool (" + e.getMessage()
                    + "); wiped the capacity device's superblocks only");
        }
        locator.registry().remove(name);
        System.out.printf("destroyed pool %s%n", name);
        return 0;
    }
}
