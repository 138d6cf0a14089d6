package org.mpool.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.mpool.Mdc;
import org.mpool.Mpool;
import org.mpool.common.ObjectId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "append",
        mixinStandardHelpOptions = true,
        description = "Append records to an MDC (or the root MDC): each argument is a record; without "
                + "arguments, each line of standard input is one. Durable when the command returns. When the "
                + "MDC fills up, the records before the one that did not fit stay (durable) and the error "
                + "(LOG_FULL) says how many.",
        footer = {
            "",
            "Examples:",
            "  mpool mdc append mp1 0x0000000000001301 first second",
            "  printf 'a\\nb\\n' | mpool mdc append mp1 root"
        })
final class MdcAppendCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "POOL", description = "The pool: its name or UUID.")
    String pool;

    @Parameters(index = "1", paramLabel = "ID|root")
    String id;

    @Parameters(index = "2..*", arity = "0..*", paramLabel = "RECORD")
    List<String> records = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        ObjectId oid = Cli.mdcId(id);
        long n;
        try (Mpool p = Cli.open(pool);
                Mdc mdc = oid == null ? p.rootMdc() : p.openMdc(oid)) {
            n = Cli.append(records, Cli.mdcName(oid), new Cli.RecordSink() {
                @Override
                public void append(byte[] record) {
                    mdc.append(record, false);
                }

                @Override
                public void flush() {
                    mdc.flush();
                }

                @Override
                public long remaining() {
                    return mdc.remaining();
                }
            });
        }
        System.err.printf("appended %d record(s)%n", n);
        return 0;
    }
}
