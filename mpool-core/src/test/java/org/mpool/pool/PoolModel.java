package org.mpool.pool;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a pool must hold after a crash: the mblocks whose commit returned (and were not
 * deleted), each with its bytes; the objects an operation in flight may or may not have
 * changed; every id ever handed out (no id may come back); the acceptable labels.
 */
final class PoolModel {
    /** Committed and not deleted: id → bytes (mlogs map to an empty array). */
    final Map<Long, byte[]> objects = new HashMap<>();
    /** Objects an operation in flight may have created or deleted: id → bytes if it exists. */
    final Map<Long, byte[]> maybe = new HashMap<>();

    final Set<Long> everIssued = new HashSet<>();
    final Set<String> labels = new HashSet<>(Set.of(""));

    PoolModel copy() {
        PoolModel c = new PoolModel();
        c.objects.putAll(objects);
        c.maybe.putAll(maybe);
        c.everIssued.addAll(everIssued);
        c.labels.addAll(labels);
        return c;
    }
}
