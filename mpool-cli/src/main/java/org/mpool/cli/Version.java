package org.mpool.cli;

import picocli.CommandLine;

/** Reports the version from the jar manifest (falls back to "development"). */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Version.class.getPackage().getImplementationVersion();
        return new String[] {"mpool " + (v == null ? "development" : v)
                + " (Java " + Runtime.version() + ")"};
    }
}
