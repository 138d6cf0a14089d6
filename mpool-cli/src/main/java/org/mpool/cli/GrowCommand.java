package org.mpool.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mpool.Mpool;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.PoolStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "grow",
        mixinStandardHelpOptions = true,
        description = "Grow a media class of a pool onto more of its device, as vgextend/lvextend do for LVM. A file"
                + " device is extended to --size first; a block device must have grown already (lvextend, a larger"
                + " partition): the class then takes all of it, or --size of it. Crash-safe: after a crash the pool"
                + " has its old size or its new one. The pool must be active; a pool never shrinks.",
        footer = {
            "",
            "Examples:",
            "  mpool grow mp1 --size 200g                       # a file: extended to 200 GiB, all of it used",
            "  lvextend -L +100g vg0/mp1 && mpool grow mp1       # a logical volume grown first",
            "  mpool grow mp1 --class staging --size 20g"
        })
final class GrowCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "POOL", description = "The pool: its name or UUID.")
    String name;

    @Option(
            names = "--class",
            defaultValue = "capacity",
            description = "The media class to grow: capacity or staging (default: ${DEFAULT-VALUE}).")
    String mediaClass;

    @Option(
            names = "--size",
            converter = SizeConverter.class,
            description = "The class's new size (e.g. 200g): a file is extended to it; default: the whole device.")
    long size;

    @Override
    public Integer call() {
        MediaClass mc = MediaClass.parse(mediaClass);
        PoolLocator locator = Cli.locator();
        PoolLocator.Found found = locator.find(name);
        Cli.requireActive(found);
        try (Mpool pool = locator.open(found)) {
            Cli.requireClass(pool, mc);
            Path device = pool.devicePath(mc);
            PoolStats.ClassStats before = pool.stats().classes().get(mc);
            long after = pool.grow(mc, size, new Progress("grow " + pool.name())::update);
            long zone = before.mblockSizeBytes();
            if (after == before.totalBytes()) {
                System.out.printf(
                        "pool %s: its %s device %s has no whole mblock (%s) beyond the pool's %s: nothing to grow"
                                + " (extend a file with --size; grow a block device first, e.g. with lvextend)%n",
                        pool.name(), mc.label(), device, Units.human(zone), Units.human(after));
                return 0;
            }
            locator.register(pool, true);
            System.out.printf(
                    "grew the %s class of pool %s on %s from %s to %s (%d more mblocks of %s)%n",
                    mc.label(),
                    pool.name(),
                    device,
                    Units.human(before.totalBytes()),
                    Units.human(after),
                    (after - before.totalBytes()) / zone,
                    Units.human(zone));
        } catch (MpoolException e) {
            throw Cli.inCliWords(e);
        }
        return 0;
    }
}
