package org.mpool.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import org.mpool.Mlog;
import org.mpool.Mpool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "cat",
        mixinStandardHelpOptions = true,
        description = "Print an MDC's records (its current state), one per line. Needs no lock.",
        footer = {"", "Examples:", "  mpool mdc cat mp1 0x0000000000001301", "  mpool mdc cat mp1 root --hex"})
final class MdcCatCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "POOL", description = "The pool: its name or UUID.")
    String pool;

    @Parameters(index = "1", paramLabel = "ID|root")
    String id;

    @Option(names = "--hex", description = "Print each record as hex.")
    boolean hex;

    @Override
    public Integer call() throws IOException {
        OutputStream out = Stdout.stream();
        try (Mpool p = Cli.inspect(pool);
                Mlog.Reader r = p.read(Cli.mdcId(id))) {
            while (r.next()) {
                byte[] rec = r.recordBytes();
                out.write(hex ? HexFormat.of().formatHex(rec).getBytes() : rec);
                out.write('\n');
            }
        }
        out.flush();
        return 0;
    }
}
