package org.mpool.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.mpool.Mpool;
import org.mpool.common.MpoolException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "set",
        mixinStandardHelpOptions = true,
        description = "Set pool properties: label, uid, gid, mode (octal), spare (percent). uid, gid and mode "
                + "are applied to the device files at once.",
        footer = {"", "Examples:", "  mpool set mp1 label='LSM data'", "  mpool set mp1 uid=1000 gid=1000 mode=0600"})
final class SetCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "PROPERTY=VALUE")
    List<String> assignments;

    @Override
    public Integer call() {
        for (String a : assignments) {
            if (a.indexOf('=') <= 0) {
                throw MpoolException.invalid("'" + a + "' is not PROPERTY=VALUE");
            }
        }
        try (Mpool pool = Cli.open(name)) {
            for (String a : assignments) {
                int eq = a.indexOf('=');
                String key = a.substring(0, eq).trim();
                String value = a.substring(eq + 1);
                if (key.equals(Mpool.PROP_UID)) {
                    value = String.valueOf(Cli.id(value, "/etc/passwd", "user"));
                } else if (key.equals(Mpool.PROP_GID)) {
                    value = String.valueOf(Cli.id(value, "/etc/group", "group"));
                }
                pool.setProperty(key, value);
                System.out.printf("%s: %s=%s%n", name, key, pool.properties().get(key));
            }
        }
        return 0;
    }
}
