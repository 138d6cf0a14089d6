package org.mpool.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import org.mpool.Mpool;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.PoolStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "activate",
        mixinStandardHelpOptions = true,
        description = "Make a pool ready for use: run recovery (replay its metadata logs, repair a torn "
                + "superblock copy), check that all its devices are present, give them the pool's owner and mode, "
                + "and mark it active in the registry until it is deactivated. Commands that change a pool's "
                + "objects or properties need it active.",
        footer = {
            "",
            "Examples:",
            "  mpool activate mp1",
            "  mpool activate 4ea3a3fb-c61c-4d05-9df3-597b03eba8c7",
            "  mpool activate mp1 --search /mnt/new/mp1-fast.img   # a device that moved",
            "  mpool activate mp1 --search /mnt/new                # or the directory it moved to"
        })
final class ActivateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "POOL", description = "The pool: its name, its UUID or one of its devices.")
    String name;

    @Option(
            names = "--search",
            paramLabel = "PATH",
            arity = "1..*",
            description = "Also look at these devices or files for the pool's devices (after a move); a directory: the"
                    + " files in it.")
    List<Path> search = new ArrayList<>();

    @Override
    public Integer call() {
        PoolLocator locator = Cli.locator();
        System.out.println(activate(locator, locator.find(name, search)));
        return 0;
    }

    /** Activates a pool found and says what was done. */
    static String activate(PoolLocator locator, PoolLocator.Found found) {
        long t0 = System.nanoTime();
        try (Mpool pool = locator.open(found)) {
            long ms = (System.nanoTime() - t0) / 1_000_000;
            List<String> devices = applyOwnership(pool);
            PoolStats stats = pool.stats();
            locator.register(pool, true);
            return String.format(
                    "activated pool %s (uuid %s): %s; %d mblocks, %d mlogs, %d MDCs; recovered in %d ms",
                    pool.name(),
                    pool.uuid(),
                    String.join(", ", devices),
                    stats.mblocks(),
                    stats.mlogs(),
                    stats.mdcs(),
                    ms);
        } catch (MpoolException e) {
            OptionalLong holder =
                    e.code() == ErrorCode.LOCKED ? Mpool.lockHolder(found.capacity()) : OptionalLong.empty();
            if (holder.isPresent() && found.active()) {
                return "pool " + found.name() + " is active (in use by process " + holder.getAsLong() + ")";
            }
            throw e;
        }
    }

    /** Gives the pool's devices its uid, gid and mode (the properties); returns "CLASS PATH" of each. */
    static List<String> applyOwnership(Mpool pool) {
        Map<String, String> p = pool.properties();
        int uid = Integer.parseInt(p.get(Mpool.PROP_UID));
        int gid = Integer.parseInt(p.get(Mpool.PROP_GID));
        int mode = Integer.parseInt(p.get(Mpool.PROP_MODE), 8);
        List<String> devices = new ArrayList<>();
        for (MediaClass mc : MediaClass.values()) {
            Path path = pool.devicePath(mc);
            if (path == null) {
                continue;
            }
            try {
                if (uid != ((Number) Files.getAttribute(path, "unix:uid")).intValue()) {
                    Files.setAttribute(path, "unix:uid", uid);
                }
                if (gid != ((Number) Files.getAttribute(path, "unix:gid")).intValue()) {
                    Files.setAttribute(path, "unix:gid", gid);
                }
                Files.setPosixFilePermissions(path, permissions(mode));
            } catch (IOException | UnsupportedOperationException e) {
                throw new MpoolException(
                        ErrorCode.PERMISSION,
                        "cannot give " + path + " owner " + uid + ":" + gid + " and mode " + String.format("%04o", mode)
                                + ": " + e.getMessage(),
                        e);
            }
            devices.add(mc.label() + " " + path);
        }
        return devices;
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] byBit = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE
        for (int i = 0; i < byBit.length; i++) {
            if ((mode & (0400 >> i)) != 0) {
                set.add(byBit[i]);
            }
        }
        return set;
    }
}
