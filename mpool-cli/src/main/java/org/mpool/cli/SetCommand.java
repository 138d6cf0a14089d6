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
        description = "Set pool properties: label, uid, gid (numbers or names), mode (octal); spare.capacity and"
                + " spare.staging (0-100: percent of the class kept free for metadata, the reference's"
                + " spare_pct_capacity and spare_pct_staging) and spare (0-50: both classes); discard (on: the zones"
                + " of deleted objects are discarded); reaper.budget (N%% of RAM or a size), reaper.ttl (a duration,"
                + " 0: off) and reaper.period (1ms to 1h), applied at every open. uid, gid and mode are applied to"
                + " the device files at once. The pool must be active.",
        footer = {
            "",
            "Examples:",
            "  mpool set mp1 label='LSM data'",
            "  mpool set mp1 uid=1000 gid=disk mode=0600",
            "  mpool set mp1 spare.capacity=10 discard=on",
            "  mpool set mp1 reaper.budget=4g reaper.ttl=30m reaper.period=500ms"
        })
final class SetCommand implements Callable<Integer> {
    /** The properties set takes. */
    static final List<String> SETTABLE = Mpool.SETTABLE_PROPERTIES;

    @Parameters(index = "0", paramLabel = "POOL", description = "The pool: its name or UUID.")
    String name;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "PROPERTY=VALUE")
    List<String> assignments;

    @Override
    public Integer call() {
        String[][] parsed = new String[assignments.size()][];
        for (int i = 0; i < parsed.length; i++) {
            String a = assignments.get(i);
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw MpoolException.invalid("'" + a + "' is not PROPERTY=VALUE");
            }
            String key = a.substring(0, eq).trim();
            String value = a.substring(eq + 1);
            if (!SETTABLE.contains(key)) {
                throw MpoolException.invalid((GetCommand.PROPERTIES.contains(key)
                                ? "property '" + key + "' cannot be set"
                                : "unknown property '" + key + "'")
                        + "; settable: " + String.join(", ", SETTABLE));
            }
            if (key.equals(Mpool.PROP_UID)) {
                value = String.valueOf(Cli.id(value, "/etc/passwd", "user"));
            } else if (key.equals(Mpool.PROP_GID)) {
                value = String.valueOf(Cli.id(value, "/etc/group", "group"));
            }
            parsed[i] = new String[] {key, value};
        }
        try (Mpool pool = Cli.open(name)) {
            for (String[] kv : parsed) {
                pool.setProperty(kv[0], kv[1]);
                System.out.printf(
                        "%s: %s=%s%n", pool.name(), kv[0], pool.properties().get(kv[0]));
            }
        }
        return 0;
    }
}
