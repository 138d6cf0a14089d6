package org.mpool.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.mpool.Mpool;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.spi.BlockDevice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "scan",
        mixinStandardHelpOptions = true,
        description = "Find pool devices by their superblock: the given paths, registered files and all block devices.",
        footer = {"", "Examples:", "  mpool scan", "  mpool scan /var/lib/mpool/*.img --activate", "  mpool scan --json"
        })
final class ScanCommand implements Callable<Integer> {
    @Parameters(paramLabel = "PATH", arity = "0..*", description = "Extra devices or files to look at.")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--activate", description = "Activate (recover and register) every pool found.")
    boolean activate;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        PoolLocator locator = Cli.locator();
        List<BlockDevice.Label> found = locator.scan(paths);
        Report report = new Report(List.of(
                Report.text("device", "DEVICE"),
                Report.text("mpool", "MPOOL"),
                Report.text("class", "CLASS"),
                Report.text("uuid", "UUID"),
                Report.bytes("mblocksize", "MBLOCKSIZE"),
                Report.text("state", "STATE")));
        Progress progress = new Progress("scan");
        int done = 0;
        for (BlockDevice.Label f : found) {
            String state = f.cleanlyClosed() ? "closed" : "open or crashed";
            if (activate && f.mediaClass() == MediaClass.CAPACITY) {
                try (Mpool pool = Mpool.open(f.device())) {
                    if (Cli.isRegularFileOrAbsent(f.device())) {
                        locator.registry().put(pool.name(), f.device());
                    }
                    state = "activated";
                } catch (MpoolException e) {
                    state = "error: " + e.code();
                }
            }
            report.row(
                    "device",
                    f.device().toString(),
                    "mpool",
                    f.poolName(),
                    "class",
                    f.mediaClass().label(),
                    "uuid",
                    f.poolUuid().toString(),
                    "mblocksize",
                    f.mblockSizeBytes(),
                    "state",
                    state);
            progress.update(++done, found.size());
        }
        report.print(System.out, output);
        return 0;
    }
}
