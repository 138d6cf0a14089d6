package org.mpool.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.mpool.Mpool;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.spi.BlockDevice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "rename",
        mixinStandardHelpOptions = true,
        description = "Rename a pool.",
        footer = {"", "Example:", "  mpool rename mp1 lsm-data"})
final class RenameCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "OLD")
    String oldName;

    @Parameters(index = "1", paramLabel = "NEW")
    String newName;

    @Override
    public Integer call() {
        PoolLocator locator = Cli.locator();
        for (BlockDevice.Label f : locator.scan(List.of())) {
            if (f.poolName().equals(newName)) {
                throw new MpoolException(
                        ErrorCode.EXISTS, "a pool named '" + newName + "' exists already on " + f.device());
            }
        }
        try (Mpool pool = Mpool.open(locator.capacityDevice(oldName))) {
            pool.rename(newName);
        }
        locator.registry().rename(oldName, newName);
        System.out.printf("renamed pool %s to %s%n", oldName, newName);
        return 0;
    }
}
