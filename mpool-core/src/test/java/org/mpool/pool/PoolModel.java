package org.mpool.pool;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.mpool.common.MediaClass;

/**
 * What a pool must hold after a crash: the objects whose commit returned (and were not
 * deleted), mblocks with their bytes; the objects an operation in flight (or a deferred commit
 * not yet flushed) may or may not have changed; each object's owner tag; the records of every
 * mlog and MDC and of the root MDC; every id ever handed out (no id may come back); the
 * acceptable labels and names; each class's metadata space.
 */
final class PoolModel {
    /** The key of the root MDC in {@link #logs}: no object id is negative. */
    static final long ROOT = -1;

    /** Committed and not deleted: id → bytes (mlogs and MDCs map to an empty array). */
    final Map<Long, byte[]> objects = new HashMap<>();
    /** Objects an operation in flight may have created or deleted: id → bytes if it exists. */
    final Map<Long, byte[]> maybe = new HashMap<>();
    /** Mblocks committed with commitDeferred: in {@link #maybe} until a pool flush returns. */
    final Set<Long> deferred = new HashSet<>();
    /** The owner tag each object was committed with. */
    final Map<Long, Long> owners = new HashMap<>();
    /** The records of each mlog and MDC (by id) and of the root MDC ({@link #ROOT}). */
    final Map<Long, LogContents> logs = new HashMap<>(Map.of(ROOT, new LogContents()));

    final Set<Long> everIssued = new HashSet<>();
    final Set<String> labels = new HashSet<>(Set.of(""));
    /** The acceptable pool names (a rename in flight may or may not have happened). */
    final Set<String> names = new HashSet<>(Set.of("crash"));
    /** Each class's used bytes in the new pool: its metadata, which objects never take. */
    final Map<MediaClass, Long> baseUsed = new EnumMap<>(MediaClass.class);
}
