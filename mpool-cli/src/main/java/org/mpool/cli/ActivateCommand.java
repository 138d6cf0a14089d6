package org.mpool.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mpool.Mpool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "activate",
        mixinStandardHelpOptions = true,
        description = "Make a pool ready for use: run recovery (replay its metadata logs, repair a torn "
                + "superblock copy) and register it.",
        footer = {"", "Example:", "  mpool activate mp1"})
final class ActivateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
        PoolLocator locator = Cli.locator();
        Path device = locator.capacityDevice(name);
        long t0 = System.nanoTime();
        try (Mpool pool = Mpool.open(device)) {
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (Cli.isRegularFileOrAbsent(device)) {
                locator.registry().put(name, device);
            }
            System.out.printf(
                    "activated pool %s: %d mblocks, %d mlogs, recovered in %d ms%n",
                    name, pool.stats().mblocks(), pool.stats().mlogs(), ms);
        }
        return 0;
    }
}
