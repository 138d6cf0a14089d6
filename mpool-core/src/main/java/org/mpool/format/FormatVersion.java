package org.mpool.format;

/**
 * The format versions, newest last. Every change to a byte on media adds a version here, a
 * golden image of it under the tests' resources, and an upgrade step named by the version it
 * converts from (see docs/FORMAT.md §7).
 *
 * <pre>
 *   1  the first released format
 *   2  MDC objects (object type 3, catalog record MDC); a root MDC named in MDC-0 (ROOT_MDC);
 *      an owner tag in every object's catalog record (MBLOCK and MLOG records of types 14 and
 *      15; types 10 and 11 of version 1 are still read, their owner 0). A version-1 pool is
 *      upgraded when first opened read-write (pool/UpgradeFromV1).
 *   3  checksums of mblock data per 4 KiB page: a {@link ChunkTable} at the end of every new
 *      mblock's zone, named by the catalog record MBLOCK_CHUNKED (type 17); an mblock's capacity
 *      is its zone less the table's region. Mblocks committed before keep one CRC of their
 *      data. Upgraded at the first read-write open (pool/UpgradeFromV2).
 * </pre>
 */
public final class FormatVersion {
    public static final int V1 = 1;
    public static final int V2 = 2;
    public static final int V3 = 3;
    /** The version this code writes. */
    public static final int CURRENT = V3;

    private FormatVersion() {}
}
