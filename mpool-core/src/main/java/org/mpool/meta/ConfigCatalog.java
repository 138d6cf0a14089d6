package org.mpool.meta;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.format.CatalogRecord;
import org.mpool.format.FormatException;
import org.mpool.log.LogPair;
import org.mpool.log.LogSpec;
import org.mpool.observe.Counter;
import org.mpool.observe.Counters;
import org.mpool.observe.Events;

/**
 * MDC-0: the pool's configuration — its properties, its media classes and where the shards
 * MDC-1..N live. Small and rarely written; rewritten whole when its log is half full.
 */
public final class ConfigCatalog implements AutoCloseable {
    private final LogPair mdc;
    private final Map<String, String> properties = new TreeMap<>();
    private final Map<MediaClass, CatalogRecord.MediaClassInfo> classes = new EnumMap<>(MediaClass.class);
    private final Map<Integer, CatalogRecord.Shard> shards = new LinkedHashMap<>();
    /** Where the root MDC is; null in a version-1 pool not yet upgraded. */
    private CatalogRecord.RootMdc rootMdc;

    /** The pool's counters (compactions). */
    private final Counters counters;

    private ConfigCatalog(LogPair mdc, Counters counters) {
        this.mdc = mdc;
        this.counters = counters;
    }

    /** Reads MDC-0 without writing anything; {@link #update} then fails. */
    public static ConfigCatalog load(LogSpec log0, LogSpec log1) {
        ConfigCatalog catalog = new ConfigCatalog(null, log0.counters());
        for (LogPair.Record r : LogPair.readOnly(log0, log1)) {
            catalog.apply(decode(r.bytes()));
        }
        return catalog;
    }

    /** Makes MDC-0 holding {@code initial} records, durably. */
    public static ConfigCatalog create(LogSpec log0, LogSpec log1, List<CatalogRecord> initial) {
        ConfigCatalog catalog = new ConfigCatalog(LogPair.create(log0, log1, false), log0.counters());
        for (CatalogRecord r : initial) {
            catalog.mdc.append(CatalogRecord.encode(r), false);
            catalog.apply(r);
        }
        catalog.mdc.flush();
        return catalog;
    }

    public static ConfigCatalog open(LogSpec log0, LogSpec log1) {
        ConfigCatalog catalog = new ConfigCatalog(LogPair.open(log0, log1), log0.counters());
        try {
            for (byte[] bytes : catalog.mdc.readAll()) {
                catalog.apply(decode(bytes));
            }
            return catalog;
        } catch (RuntimeException e) {
            catalog.mdc.close();
            throw e;
        }
    }

    private static CatalogRecord decode(byte[] bytes) {
        try {
            return CatalogRecord.decode(bytes);
        } catch (FormatException e) {
            throw MpoolException.corrupt("MDC-0 (the pool configuration) holds a bad record: " + e.getMessage());
        }
    }

    private void apply(CatalogRecord r) {
        switch (r) {
            case CatalogRecord.Config c -> {
                if (c.value().isEmpty()) {
                    properties.remove(c.key());
                } else {
                    properties.put(c.key(), c.value());
                }
            }
            case CatalogRecord.MediaClassInfo m -> classes.put(MediaClass.fromCode(m.classCode()), m);
            case CatalogRecord.Shard s -> shards.put(s.shard(), s);
            case CatalogRecord.RootMdc root -> rootMdc = root;
            default -> throw new MpoolException(ErrorCode.CORRUPT, "MDC-0 holds an object record: " + r);
        }
    }

    /** Appends configuration records durably (all or, after a crash, a prefix of them). */
    public synchronized void update(List<CatalogRecord> records) {
        if (mdc == null) {
            throw new MpoolException(ErrorCode.PERMISSION, "the pool is open read-only");
        }
        if (mdc.usedBytes() * 2 >= mdc.capacityBytes()) {
            compact();
        }
        for (CatalogRecord r : records) {
            mdc.append(CatalogRecord.encode(r), false);
        }
        mdc.flush();
        records.forEach(this::apply);
    }

    private void compact() {
        List<CatalogRecord> live = new ArrayList<>();
        properties.forEach((k, v) -> live.add(new CatalogRecord.Config(k, v)));
        live.addAll(classes.values());
        live.addAll(shards.values());
        if (rootMdc != null) {
            live.add(rootMdc);
        }
        Events.CatalogCompaction event = new Events.CatalogCompaction();
        event.begin();
        long before = mdc.usedBytes();
        mdc.compactStart();
        try {
            for (CatalogRecord r : live) {
                mdc.append(CatalogRecord.encode(r), false);
            }
            mdc.compactEnd();
            counters.increment(Counter.CATALOG_COMPACTIONS);
            event.end();
            if (event.shouldCommit()) {
                event.catalog = "MDC-0";
                event.records = live.size();
                event.bytesBefore = before;
                event.bytesAfter = mdc.usedBytes();
                event.commit();
            }
        } catch (MpoolException e) {
            mdc.compactAbort();
            throw e;
        }
    }

    /** Whether open found a compaction of MDC-0 cut short and took its state before it. */
    public boolean rolledBack() {
        return mdc != null && mdc.rolledBack();
    }

    public synchronized Map<String, String> properties() {
        return Map.copyOf(properties);
    }

    public synchronized String property(String key, String fallback) {
        return properties.getOrDefault(key, fallback);
    }

    public synchronized Map<MediaClass, CatalogRecord.MediaClassInfo> mediaClasses() {
        return Map.copyOf(classes);
    }

    /** Where the root MDC is; null if the pool has none yet (a version-1 pool). */
    public synchronized CatalogRecord.RootMdc rootMdc() {
        return rootMdc;
    }

    public synchronized List<CatalogRecord.Shard> shards() {
        return List.copyOf(shards.values());
    }

    @Override
    public void close() {
        if (mdc != null) {
            mdc.close();
        }
    }
}
