package org.mpool.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.mpool.Mpool;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.PoolStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "create",
        mixinStandardHelpOptions = true,
        description = "Create a pool on a block device or a file (a missing file is created sparse with --size) and "
                + "activate it. Refuses a device that holds a pool, a file system or any data in its first or "
                + "last MiB unless --force.",
        footer = {
            "",
            "Examples:",
            "  mpool create mp1 /dev/nvme0n1",
            "  mpool create mp1 /var/lib/mpool/mp1.img --size 100g --mblock-size 8m --label 'LSM data'",
            "  mpool create mp1 /dev/sdb --staging /dev/nvme0n1p2 --staging-mblock-size 4m",
            "  mpool create mp1 /dev/nvme0n1 --discard            # TRIM the SSD first"
        })
final class CreateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "Pool name: 1-31 of A-Z a-z 0-9 _ . -")
    String name;

    @Parameters(index = "1", paramLabel = "DEVICE", description = "Capacity device: a block device or a file.")
    Path device;

    @Option(
            names = "--size",
            converter = SizeConverter.class,
            description = "Size of a file device to create (e.g. 100g).")
    long size;

    @Option(
            names = "--mblock-size",
            converter = SizeConverter.class,
            defaultValue = "32m",
            description = "Capacity mblock size, a power of two from 1m to 64m (default: 32m).")
    long mblockSize;

    @Option(names = "--staging", paramLabel = "DEVICE", description = "A staging device (optional, e.g. a faster SSD).")
    Path staging;

    @Option(
            names = "--staging-size",
            converter = SizeConverter.class,
            description = "Size of a staging file to create.")
    long stagingSize;

    @Option(
            names = "--staging-mblock-size",
            converter = SizeConverter.class,
            description = "Staging mblock size (default: the capacity mblock size).")
    long stagingMblockSize;

    @Option(names = "--label", defaultValue = "", description = "A free-form label (up to 64 characters).")
    String label;

    @Option(names = "--uid", description = "Owner of the device files (number or name; default root, or you).")
    String uid;

    @Option(names = "--gid", description = "Group of the device files (number or name; default disk, or yours).")
    String gid;

    @Option(names = "--mode", description = "Permissions of the device files, octal (default 0660).")
    String mode;

    @Option(names = "--spare", defaultValue = "5", description = "Percent of each class kept for metadata (default 5).")
    int spare;

    @Option(names = "--shards", defaultValue = "4", description = "Metadata shards MDC-1..N (default 4).")
    int shards;

    @Option(names = "--force", description = "Overwrite a device that holds a pool, a file system or other data.")
    boolean force;

    @Option(
            names = {"-D", "--discard"},
            description = "Discard every device whole first (TRIM on a block device, a hole on a file): an SSD or a"
                    + " thin volume learns nothing it holds is in use.")
    boolean discard;

    @Option(
            names = {"-y", "--yes"},
            description = "Do not ask for confirmation.")
    boolean yes;

    @Override
    public Integer call() {
        if (staging == null && (stagingSize > 0 || stagingMblockSize > 0)) {
            throw MpoolException.invalid("--staging-size and --staging-mblock-size describe a staging device:"
                    + " give it with --staging DEVICE");
        }
        Registry.checkPath(device);
        if (staging != null) {
            Registry.checkPath(staging);
        }
        CreateOptions o = new CreateOptions()
                .size(size)
                .mblockSize(mblockSize)
                .label(label)
                .sparePercent(spare)
                .shards(shards)
                .force(force)
                .discard(discard)
                .owner(Cli.id(uid, "/etc/passwd", "user"), Cli.id(gid, "/etc/group", "group"), Cli.mode(mode));
        if (staging != null) {
            o.staging(staging, stagingSize, stagingMblockSize);
        }
        PoolLocator locator = Cli.locator();
        for (PoolLocator.Surveyed p : locator.survey(List.of())) {
            PoolLocator.Found f = p.found();
            if (p.name().equals(name)
                    && f.capacity() != null
                    && !f.capacity().equals(device.toAbsolutePath().normalize())) {
                throw new MpoolException(
                        ErrorCode.EXISTS, "a pool named '" + name + "' exists already on " + f.capacity());
            }
        }
        if (force) {
            Cli.confirm("Overwrite whatever " + device + (staging != null ? " and " + staging : "") + " hold?", yes);
        }
        try (Mpool pool = create(o)) {
            locator.registerNew(pool);
            PoolStats.ClassStats cap = pool.stats().classes().get(MediaClass.CAPACITY);
            System.out.printf(
                    "created pool %s on %s: %s, %s mblocks, uuid %s (active)%n",
                    name, device, Units.human(cap.totalBytes()), Units.human(cap.mblockSizeBytes()), pool.uuid());
        }
        return 0;
    }

    private Mpool create(CreateOptions o) {
        try {
            return Mpool.create(name, device, o);
        } catch (MpoolException e) {
            throw Cli.inCliWords(e);
        }
    }
}
