package org.mpool.common;

import java.nio.file.Path;

/**
 * Choices made when a pool is created. Every setter returns {@code this}; unset values take
 * the documented defaults.
 */
public final class CreateOptions {
    public static final long DEFAULT_MBLOCK_SIZE = 32L << 20;
    public static final int DEFAULT_SPARE_PERCENT = 5;
    public static final int DEFAULT_SHARDS = 4;

    private long sizeBytes;
    private long mblockSizeBytes = DEFAULT_MBLOCK_SIZE;
    private Path stagingDevice;
    private long stagingSizeBytes;
    private long stagingMblockSizeBytes;
    private String label = "";
    private Integer uid;
    private Integer gid;
    private Integer mode;
    private int sparePercent = DEFAULT_SPARE_PERCENT;
    private int shards = DEFAULT_SHARDS;
    private boolean force;
    private boolean discard;

    /** Options with every default: set what differs. */
    public CreateOptions() {}

    /** Size of a device file that does not exist yet (created sparse); 0: it must exist. */
    public CreateOptions size(long bytes) {
        this.sizeBytes = bytes;
        return this;
    }

    /** Mblock (zone) size of the capacity class: a power of two from 1 to 64 MiB (default 32 MiB). */
    public CreateOptions mblockSize(long bytes) {
        this.mblockSizeBytes = bytes;
        return this;
    }

    /** A staging device, its size if it is a file to create, and its mblock size (default: capacity's). */
    public CreateOptions staging(Path device, long sizeBytes, long mblockSizeBytes) {
        this.stagingDevice = device;
        this.stagingSizeBytes = sizeBytes;
        this.stagingMblockSizeBytes = mblockSizeBytes;
        return this;
    }

    public CreateOptions label(String text) {
        this.label = text;
        return this;
    }

    /** Owner and mode of the device files (default root:disk 0660 as root, else the caller, 0660). */
    public CreateOptions owner(Integer uid, Integer gid, Integer mode) {
        this.uid = uid;
        this.gid = gid;
        this.mode = mode;
        return this;
    }

    /**
     * Percent of each class kept free for metadata (default 5; 0 to 50, as the property
     * {@code spare}; set a class's own, up to 100, with {@code spare.capacity} or
     * {@code spare.staging} once the pool exists).
     */
    public CreateOptions sparePercent(int percent) {
        this.sparePercent = percent;
        return this;
    }

    /** Number of metadata shards MDC-1..N (default 4): commits to different shards never contend. */
    public CreateOptions shards(int count) {
        this.shards = count;
        return this;
    }

    /** Overwrite a device that holds a pool or a recognisable file system. */
    public CreateOptions force(boolean force) {
        this.force = force;
        return this;
    }

    /**
     * Discard every device whole (TRIM on a block device, punch-hole on a file) before the pool
     * is written on it: an SSD or thin volume learns that nothing it holds is in use.
     */
    public CreateOptions discard(boolean discard) {
        this.discard = discard;
        return this;
    }

    public boolean discard() {
        return discard;
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    public long mblockSizeBytes() {
        return mblockSizeBytes;
    }

    /** The staging device, or null for none. */
    public Path stagingDevice() {
        return stagingDevice;
    }

    public long stagingSizeBytes() {
        return stagingSizeBytes;
    }

    /** The staging class's mblock size: the capacity class's unless set. */
    public long stagingMblockSizeBytes() {
        return stagingMblockSizeBytes > 0 ? stagingMblockSizeBytes : mblockSizeBytes;
    }

    public String label() {
        return label;
    }

    /** The owner's uid, or null for the default. */
    public Integer uid() {
        return uid;
    }

    /** The owner's gid, or null for the default. */
    public Integer gid() {
        return gid;
    }

    /** The device mode, or null for the default (0660). */
    public Integer mode() {
        return mode;
    }

    public int sparePercent() {
        return sparePercent;
    }

    public int shards() {
        return shards;
    }

    public boolean force() {
        return force;
    }
}
