package org.mpool.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
        name = "destroy",
        mixinStandardHelpOptions = true,
        description = "Destroy a pool: wipe the superblocks of its devices so nothing recognises them as a pool, "
                + "and forget it. Object data is not erased; files stay in place.",
        footer = {
            "",
            "With --force, a pool that cannot be opened (a device missing or damaged) is destroyed as far as it "
                    + "can be found: the superblocks of every device carrying its UUID are wiped, and a device not "
                    + "found is named, to be wiped with 'mpool wipe DEVICE' when it turns up. A registry entry "
                    + "whose pool is gone is forgotten. A device in use by a process is never touched.",
            "",
            "Examples:",
            "  mpool destroy mp1",
            "  mpool destroy mp1 --yes",
            "  mpool destroy mp1 --force --yes          # even if the pool cannot be opened",
            "  mpool destroy /var/lib/mpool/old.img --force   # a device left over from a pool"
        })
final class DestroyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "POOL", description = "The pool: its name, its UUID or one of its devices.")
    String name;

    @Option(
            names = "--force",
            description = "Wipe what can be found of the pool even if it cannot be opened; forget a pool that is gone.")
    boolean force;

    @Option(
            names = {"-y", "--yes"},
            description = "Do not ask for confirmation.")
    boolean yes;

    @Override
    public Integer call() {
        PoolLocator locator = Cli.locator();
        PoolLocator.Found found;
        try {
            found = locator.find(name);
        } catch (MpoolException e) {
            if (e.code() != ErrorCode.NOT_FOUND) {
                throw e;
            }
            return destroyWhatIsLeft(locator, e);
        }
        Cli.confirm("Destroy pool '" + found.name() + "' on " + found.capacity() + "?", yes);
        try (Mpool pool = locator.open(found)) {
            pool.destroy();
        } catch (MpoolException e) {
            if (!force || e.code() == ErrorCode.LOCKED) {
                throw withHint(e); // never act on a device another process is using
            }
            System.err.println(
                    "mpool: destroy: " + found.name() + ": the pool cannot be opened (" + e.getMessage() + ")");
            wipeFound(found);
        }
        locator.registry().remove(found.uuid(), found.name());
        System.out.printf("destroyed pool %s%n", found.name());
        return 0;
    }

    private MpoolException withHint(MpoolException e) {
        if (force || e.code() == ErrorCode.LOCKED) {
            return e;
        }
        return new MpoolException(
                e.code(), e.getMessage() + "; 'mpool destroy " + name + " --force' wipes what can be found of it", e);
    }

    /** Wipes every device found carrying the pool's UUID; names those the registry remembers but were not found. */
    private static void wipeFound(PoolLocator.Found found) {
        List<Path> wiped = new ArrayList<>();
        for (BlockDevice.Label l : found.devices()) {
            Mpool.wipe(l.device());
            wiped.add(l.device());
            System.err.println("mpool: destroy: wiped the superblocks of " + l.device() + " (its "
                    + l.mediaClass().label() + " device)");
        }
        if (found.entry() != null) {
            for (Map.Entry<MediaClass, Path> d : found.entry().devices().entrySet()) {
                if (!wiped.contains(d.getValue())) {
                    System.err.println("mpool: destroy: warning: the "
                            + d.getKey().label() + " device of pool "
                            + found.name() + ", last seen at " + d.getValue() + ", was not found: its superblocks"
                            + " remain; when it turns up, 'mpool wipe DEVICE' clears them");
                }
            }
        }
    }

    /** The pool was not found whole: forget a stale entry, wipe devices left over, with --force. */
    private int destroyWhatIsLeft(PoolLocator locator, MpoolException notFound) {
        List<BlockDevice.Label> leftovers = new ArrayList<>();
        if (name.indexOf('/') >= 0 && Files.exists(Path.of(name))) {
            Mpool.probe(Path.of(name)).ifPresent(leftovers::add);
        }
        List<Registry.Entry> stale = locator.registry().entries().stream()
                .filter(e -> e.name().equals(name)
                        || (e.uuid() != null && e.uuid().toString().equals(name))
                        || leftovers.stream().anyMatch(l -> e.is(l.poolUuid())))
                .toList();
        for (PoolLocator.Surveyed p : locator.survey(List.of())) {
            boolean named = p.name().equals(name)
                    || (p.uuid() != null && p.uuid().toString().equals(name))
                    || stale.stream().anyMatch(e -> e.is(p.uuid()));
            if (named && p.found().capacityLabel() == null) {
                p.devices().stream()
                        .filter(l ->
                                leftovers.stream().noneMatch(x -> x.device().equals(l.device())))
                        .forEach(leftovers::add);
            }
        }
        if (leftovers.isEmpty() && stale.isEmpty()) {
            throw notFound;
        }
        if (!force) {
            Set<String> what = new LinkedHashSet<>();
            leftovers.forEach(l -> what.add("wipes " + l.device()));
            stale.forEach(e -> what.add("forgets its registry entry"));
            throw new MpoolException(
                    ErrorCode.NOT_FOUND,
                    notFound.getMessage() + "; 'mpool destroy " + name + " --force' " + String.join(" and ", what),
                    notFound);
        }
        Cli.confirm("Forget pool '" + name + "' and wipe what is left of it?", yes);
        for (BlockDevice.Label l : leftovers) {
            Mpool.wipe(l.device());
            System.out.printf(
                    "wiped %s (the %s device of pool %s, uuid %s, whose capacity device was not found)%n",
                    l.device(), l.mediaClass().label(), l.poolName(), l.poolUuid());
        }
        for (Registry.Entry e : stale) {
            locator.registry().remove(e.uuid(), e.name());
            System.out.printf("forgot pool %s (registered on %s, which no longer holds it)%n", e.name(), e.capacity());
        }
        return 0;
    }
}
