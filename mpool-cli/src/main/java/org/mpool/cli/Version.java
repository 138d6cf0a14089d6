package org.mpool.cli;

import picocli.CommandLine;

/** Reports the version the module was built as (falls back to "development"). */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Version.class.getModule().getDescriptor() != null
                ? Version.class.getModule().getDescriptor().rawVersion().orElse(null)
                : Version.class.getPackage().getImplementationVersion();
        return new String[] {"mpool " + (v == null ? "development" : v) + " (Java " + Runtime.version() + ")"};
    }
}
