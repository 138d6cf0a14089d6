package org.mpool.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.mpool.Mdc;
import org.mpool.Mlog;
import org.mpool.Mpool;
import org.mpool.common.ObjectId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "compact",
        mixinStandardHelpOptions = true,
        description = "Compact an MDC (or the root MDC): its current records, all of them, become its new state, "
                + "written to its other log. A failure leaves the old state.",
        footer = {"", "Examples:", "  mpool mdc compact mp1 0x0000000000001301", "  mpool mdc compact mp1 root"})
final class MdcCompactCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "POOL", description = "The pool: its name or UUID.")
    String pool;

    @Parameters(index = "1", paramLabel = "ID|root")
    String id;

    @Override
    public Integer call() {
        ObjectId oid = Cli.mdcId(id);
        try (Mpool p = Cli.open(pool);
                Mdc mdc = oid == null ? p.rootMdc() : p.openMdc(oid)) {
            long usedBefore = mdc.usedBytes();
            List<byte[]> records = records(mdc);
            long bytes = records.stream().mapToLong(r -> r.length).sum();
            mdc.compactStart();
            try {
                for (byte[] r : records) {
                    mdc.append(r, false);
                }
                mdc.compactEnd();
            } catch (RuntimeException e) {
                try {
                    mdc.compactAbort();
                } catch (RuntimeException abort) {
                    e.addSuppressed(abort);
                }
                throw e;
            }
            List<byte[]> after = records(mdc);
            System.out.printf(
                    "compacted %s: records %d (%d bytes) before, %d (%d bytes) after; log use %d bytes before,"
                            + " %d after, of %d%n",
                    Cli.mdcName(oid),
                    records.size(),
                    bytes,
                    after.size(),
                    after.stream().mapToLong(r -> r.length).sum(),
                    usedBefore,
                    mdc.usedBytes(),
                    mdc.capacityBytes());
        }
        return 0;
    }

    private static List<byte[]> records(Mdc mdc) {
        List<byte[]> out = new ArrayList<>();
        try (Mlog.Reader r = mdc.reader()) {
            while (r.next()) {
                out.add(r.recordBytes());
            }
        }
        return out;
    }
}
