package org.mpool.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.mpool.Mlog;
import org.mpool.Mpool;
import org.mpool.common.ObjectId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "append",
        mixinStandardHelpOptions = true,
        description = "Append records to an mlog: each argument is a record; without arguments, each line of "
                + "standard input is one. Durable when the command returns. When the mlog fills up, the "
                + "records before the one that did not fit stay (durable) and the error (LOG_FULL) says how many.",
        footer = {
            "",
            "Examples:",
            "  mpool mlog append mp1 0x0000000000001202 first second",
            "  printf 'a\\nb\\n' | mpool mlog append mp1 0x0000000000001202"
        })
final class MlogAppendCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "POOL", description = "The pool: its name or UUID.")
    String pool;

    @Parameters(index = "1", paramLabel = "ID")
    String id;

    @Parameters(index = "2..*", arity = "0..*", paramLabel = "RECORD")
    List<String> records = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        ObjectId oid = Cli.objectId(id, ObjectId.Type.MLOG);
        long n;
        try (Mpool p = Cli.open(pool);
                Mlog log = p.openMlog(oid)) {
            n = Cli.append(records, "mlog " + oid, new Cli.RecordSink() {
                @Override
                public void append(byte[] record) {
                    log.append(record, false);
                }

                @Override
                public void flush() {
                    log.flush();
                }

                @Override
                public long remaining() {
                    return log.remaining();
                }
            });
        }
        System.err.printf("appended %d record(s)%n", n);
        return 0;
    }
}
