package org.mpool.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.mpool.Mpool;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.spi.BlockDevice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "wipe",
        mixinStandardHelpOptions = true,
        description = "Wipe the mpool superblocks of devices left over from pools (as wipefs does): afterwards "
                + "nothing recognises them as pool devices. Refuses a device of a pool that is still found whole "
                + "(destroy that pool instead) unless --force, and a device in use.",
        footer = {"", "Examples:", "  mpool wipe /var/lib/mpool/old-fast.img", "  mpool wipe /dev/sdc --force --yes"})
final class WipeCommand implements Callable<Integer> {
    @Parameters(
            paramLabel = "DEVICE",
            arity = "1..*",
            description = "Block devices or files holding an mpool superblock.")
    List<Path> devices;

    @Option(names = "--force", description = "Wipe even a device of a pool that is still found whole.")
    boolean force;

    @Option(
            names = {"-y", "--yes"},
            description = "Do not ask for confirmation.")
    boolean yes;

    @Override
    public Integer call() {
        PoolLocator locator = Cli.locator();
        for (Path device : devices) {
            BlockDevice.Label l = Mpool.probe(device) // NOT_FOUND if it does not exist
                    .orElseThrow(() -> new MpoolException(ErrorCode.NOT_FOUND, device + " holds no mpool superblock"));
            if (!force) {
                refuseIfWhole(locator, l);
            }
        }
        Cli.confirm("Wipe the mpool superblocks of " + devices + "?", yes);
        for (Path device : devices) {
            BlockDevice.Label l = Mpool.probe(device).orElseThrow();
            Mpool.wipe(device);
            if (l.mediaClass() == MediaClass.CAPACITY) {
                locator.registry().remove(l.poolUuid(), l.poolName());
            }
            System.out.printf(
                    "wiped %s (it was the %s device of pool %s, uuid %s)%n",
                    device, l.mediaClass().label(), l.poolName(), l.poolUuid());
        }
        return 0;
    }

    /** A device of a pool whose capacity device is found is part of a live pool: destroy is the way. */
    private static void refuseIfWhole(PoolLocator locator, BlockDevice.Label l) {
        PoolLocator.Found pool;
        try {
            pool = locator.find(l.poolUuid().toString());
        } catch (MpoolException e) {
            return; // its pool is gone: a leftover
        }
        throw new MpoolException(
                ErrorCode.INVALID_STATE,
                l.device() + " is the " + l.mediaClass().label() + " device of pool " + pool.name()
                        + " (capacity device "
                        + pool.capacity() + "): destroy the pool with 'mpool destroy " + pool.name()
                        + "', or wipe it anyway with --force");
    }
}
