package org.mpool.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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
                + "standard input is one. Durable when the command returns.",
        footer = {
            "",
            "Examples:",
            "  mpool mlog append mp1 0x0000000000001202 first second",
            "  printf 'a\\nb\\n' | mpool mlog append mp1 0x0000000000001202"
        })
final class MlogAppendCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "POOL")
    String pool;

    @Parameters(index = "1", paramLabel = "ID")
    String id;

    @Parameters(index = "2..*", arity = "0..*", paramLabel = "RECORD")
    List<String> records = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        ObjectId oid = ObjectId.parse(id);
        long n = 0;
        try (Mpool p = Cli.open(pool);
                Mlog log = p.openMlog(oid)) {
            if (records.isEmpty()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    log.append(line.getBytes(StandardCharsets.UTF_8), false);
                    n++;
                }
            } else {
                for (String r : records) {
                    log.append(r.getBytes(StandardCharsets.UTF_8), false);
                    n++;
                }
            }
            log.flush();
        }
        System.err.printf("appended %d record(s)%n", n);
        return 0;
    }
}
