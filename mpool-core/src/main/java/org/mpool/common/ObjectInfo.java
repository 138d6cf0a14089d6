package org.mpool.common;

/**
 * What the catalog knows of a committed object.
 *
 * @param id the object's id
 * @param mediaClass where it lives
 * @param lengthBytes mblock: bytes written; mlog: its capacity; MDC: the capacity of each of
 *     its two logs
 * @param capacityBytes the space it occupies (whole zones)
 * @param offsetBytes where it starts on its media class's device
 * @param owner the tag its committer gave it, or 0 (see {@code MblockWriter.owner})
 */
public record ObjectInfo(
        ObjectId id, MediaClass mediaClass, long lengthBytes, long capacityBytes, long offsetBytes, long owner) {}
