package org.mpool.format;

/**
 * The format versions, newest last. Every change to a byte on media adds a version here, a
 * golden image of it under the tests' resources, and an upgrade step named by the version it
 * converts from (see docs/FORMAT.md §7).
 *
 * <pre>
 *   1  the first released format
 * </pre>
 */
public final class FormatVersion {
    public static final int V1 = 1;
    /** The version this code writes. */
    public static final int CURRENT = V1;

    private FormatVersion() {}
}
