package org.mpool.lucene;

import java.util.Locale;
import java.util.Objects;
import org.mpool.Mdc;
import org.mpool.common.MediaClass;

/**
 * Choices for an {@link MpoolDirectory}. Every setter returns {@code this}; unset values take the
 * defaults below, some of which system properties change (so that Lucene's test framework, which
 * builds directories through the {@code (Path, LockFactory)} constructor, can size them).
 *
 * <table>
 * <caption>Options and defaults</caption>
 * <tr><th>option</th><th>default</th><th>system property</th></tr>
 * <tr><td>{@link #poolSizeBytes} (a new pool file, created sparse)</td><td>64 GiB</td>
 *     <td>{@code mpool.lucene.poolSize} (e.g. {@code 1g})</td></tr>
 * <tr><td>{@link #maxPoolSizeBytes} (a full pool file of the directory's own doubles up to it)</td>
 *     <td>64 TiB</td><td>{@code mpool.lucene.maxPoolSize}</td></tr>
 * <tr><td>{@link #mblockSizeBytes} (a new pool file)</td><td>4 MiB</td>
 *     <td>{@code mpool.lucene.mblockSize}</td></tr>
 * <tr><td>{@link #inlineMaxBytes}: files this small live in the catalog</td><td>4 KiB</td>
 *     <td>{@code mpool.lucene.inlineMax}</td></tr>
 * <tr><td>{@link #writeBufferBytes}: the aligned buffer of an output</td><td>1 MiB</td>
 *     <td>{@code mpool.lucene.writeBuffer}</td></tr>
 * <tr><td>{@link #catalogLogBytes}: each log of a new catalog MDC</td><td>1 MiB (whole mblocks)</td>
 *     <td>—</td></tr>
 * <tr><td>{@link #mediaClass} of file data</td><td>{@code CAPACITY}</td><td>—</td></tr>
 * </table>
 */
public final class MpoolDirectoryOptions {
    public static final long DEFAULT_POOL_SIZE_BYTES = 64L << 30;
    public static final long DEFAULT_MAX_POOL_SIZE_BYTES = 64L << 40;
    public static final long DEFAULT_MBLOCK_SIZE_BYTES = 4L << 20;
    public static final int DEFAULT_INLINE_MAX_BYTES = 4096;
    public static final int DEFAULT_WRITE_BUFFER_BYTES = 1 << 20;
    public static final long DEFAULT_CATALOG_LOG_BYTES = 1L << 20;
    /** Inline files are records of the catalog: keep them small so that it stays small. */
    static final int MAX_INLINE_BYTES = 64 * 1024;

    private long poolSizeBytes = sizeProperty("mpool.lucene.poolSize", DEFAULT_POOL_SIZE_BYTES);
    private long maxPoolSizeBytes = sizeProperty("mpool.lucene.maxPoolSize", DEFAULT_MAX_POOL_SIZE_BYTES);
    private long mblockSizeBytes = sizeProperty("mpool.lucene.mblockSize", DEFAULT_MBLOCK_SIZE_BYTES);
    private int inlineMaxBytes = (int) sizeProperty("mpool.lucene.inlineMax", DEFAULT_INLINE_MAX_BYTES);
    private int writeBufferBytes = (int) sizeProperty("mpool.lucene.writeBuffer", DEFAULT_WRITE_BUFFER_BYTES);
    private long catalogLogBytes = DEFAULT_CATALOG_LOG_BYTES;
    private MediaClass mediaClass = MediaClass.CAPACITY;
    private Mdc rootMdc;

    /** The defaults (with the system properties above applied). */
    public MpoolDirectoryOptions() {}

    /** Size of the pool file when the folder has none yet: created sparse, so only what is written takes space. */
    public MpoolDirectoryOptions poolSizeBytes(long bytes) {
        this.poolSizeBytes = bytes;
        return this;
    }

    /**
     * How large the directory's own pool file (the folder constructor's) may grow: when it is
     * full it is grown to twice its size, up to this. A pool the application opened and gave
     * ({@link MpoolDirectory#open}) is never grown by the directory.
     */
    public MpoolDirectoryOptions maxPoolSizeBytes(long bytes) {
        this.maxPoolSizeBytes = bytes;
        return this;
    }

    public long maxPoolSizeBytes() {
        return maxPoolSizeBytes;
    }

    /** Mblock size of a pool file created by the directory: a power of two from 1 to 64 MiB. */
    public MpoolDirectoryOptions mblockSizeBytes(long bytes) {
        this.mblockSizeBytes = bytes;
        return this;
    }

    /** Files of at most this many bytes are stored in the catalog instead of an mblock (0 to 64 KiB). */
    public MpoolDirectoryOptions inlineMaxBytes(int bytes) {
        if (bytes < 0 || bytes > MAX_INLINE_BYTES) {
            throw new IllegalArgumentException(
                    "inlineMaxBytes must be 0 to " + MAX_INLINE_BYTES + " bytes, got " + bytes);
        }
        this.inlineMaxBytes = bytes;
        return this;
    }

    /**
     * The direct-I/O buffer of each output: a power of two from 4 KiB, at most the mblock size
     * (a larger one is cut to it). Each write to an mblock is one such buffer.
     */
    public MpoolDirectoryOptions writeBufferBytes(int bytes) {
        if (Integer.bitCount(bytes) != 1 || bytes < 4096) {
            throw new IllegalArgumentException(
                    "writeBufferBytes must be a power of two of at least 4096, got " + bytes);
        }
        this.writeBufferBytes = bytes;
        return this;
    }

    /** Each of the two logs of a new catalog MDC holds at least this (rounded up to whole mblocks). */
    public MpoolDirectoryOptions catalogLogBytes(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("catalogLogBytes must be positive, got " + bytes);
        }
        this.catalogLogBytes = bytes;
        return this;
    }

    /** The media class of the files' mblocks and of the catalog. */
    public MpoolDirectoryOptions mediaClass(MediaClass mc) {
        this.mediaClass = Objects.requireNonNull(mc, "mediaClass");
        return this;
    }

    /**
     * The pool's root MDC, when the application holds its only handle: the directory then
     * appends its record there instead of opening it (one handle per MDC). Without it the
     * directory opens the root MDC for the moment it needs it.
     */
    public MpoolDirectoryOptions rootMdc(Mdc root) {
        this.rootMdc = root;
        return this;
    }

    public long poolSizeBytes() {
        return poolSizeBytes;
    }

    public long mblockSizeBytes() {
        return mblockSizeBytes;
    }

    public int inlineMaxBytes() {
        return inlineMaxBytes;
    }

    public int writeBufferBytes() {
        return writeBufferBytes;
    }

    public long catalogLogBytes() {
        return catalogLogBytes;
    }

    public MediaClass mediaClass() {
        return mediaClass;
    }

    /** The application's root MDC handle, or null. */
    public Mdc rootMdc() {
        return rootMdc;
    }

    /** A size from a system property: bytes, or a number with k, m, g or t (powers of 1024). */
    static long sizeProperty(String key, long fallback) {
        String v = System.getProperty(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return parseSize(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("system property " + key + ": " + e.getMessage(), e);
        }
    }

    /** Parses {@code 4096}, {@code 64k}, {@code 4m}, {@code 1g}, {@code 2t} (case-insensitive; powers of 1024). */
    static long parseSize(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        int shift = 0;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'k' -> shift = 10;
                case 'm' -> shift = 20;
                case 'g' -> shift = 30;
                case 't' -> shift = 40;
                default -> shift = 0;
            }
        }
        String digits = shift == 0 ? t : t.substring(0, t.length() - 1);
        try {
            long n = Long.parseLong(digits);
            if (n < 0 || n > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "not a size: '" + text + "' (expected bytes, or a number with k, m, g or t)", e);
        }
    }
}
