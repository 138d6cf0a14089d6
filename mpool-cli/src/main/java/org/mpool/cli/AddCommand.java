package org.mpool.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mpool.Mpool;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "add",
        mixinStandardHelpOptions = true,
        description = "Add a device to a pool as its staging media class.",
        footer = {
            "",
            "Examples:",
            "  mpool add mp1 /dev/nvme1n1 --class staging",
            "  mpool add mp1 /var/lib/mpool/mp1-fast.img --class staging --size 10g --mblock-size 4m"
        })
final class AddCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "POOL", description = "The pool: its name or UUID.")
    String name;

    @Parameters(index = "1", paramLabel = "DEVICE", description = "A block device or a file (created with --size).")
    Path device;

    @Option(names = "--class", required = true, description = "Media class of the device: staging.")
    String mediaClass;

    @Option(names = "--size", converter = SizeConverter.class, description = "Size of a file device to create.")
    long size;

    @Option(
            names = "--mblock-size",
            converter = SizeConverter.class,
            description = "Mblock size of the class (default: the capacity mblock size).")
    long mblockSize;

    @Option(names = "--force", description = "Overwrite a device that holds a pool, a file system or other data.")
    boolean force;

    @Option(
            names = {"-D", "--discard"},
            description = "Discard the device whole first (TRIM on a block device, a hole on a file).")
    boolean discard;

    @Option(
            names = {"-y", "--yes"},
            description = "Do not ask for confirmation.")
    boolean yes;

    @Override
    public Integer call() {
        MediaClass mc = MediaClass.parse(mediaClass);
        if (mc != MediaClass.STAGING) {
            throw MpoolException.invalid("a pool has exactly one capacity device; add a device with --class staging");
        }
        Registry.checkPath(device);
        PoolLocator locator = Cli.locator();
        PoolLocator.Found found = locator.find(name);
        Cli.requireActive(found);
        if (force) {
            Cli.confirm("Overwrite whatever " + device + " holds?", yes);
        }
        try (Mpool pool = locator.open(found)) {
            long mb = mblockSize > 0
                    ? mblockSize
                    : pool.stats().classes().get(MediaClass.CAPACITY).mblockSizeBytes();
            try {
                pool.addStaging(device, size, mb, force, discard);
            } catch (MpoolException e) {
                throw Cli.inCliWords(e);
            }
            locator.register(pool, true);
            System.out.printf(
                    "added %s to pool %s as its staging class (%s mblocks)%n", device, pool.name(), Units.human(mb));
        }
        return 0;
    }
}
