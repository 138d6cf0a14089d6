package org.mpool.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.mpool.MblockWriter;
import org.mpool.Mcache;
import org.mpool.Mdc;
import org.mpool.Mlog;
import org.mpool.Mpool;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.common.ObjectInfo;
import org.mpool.common.Reaper.Advice;

/**
 * The small LSM engine of {@link LsmTour} (docs/API.md): a memtable; a write-ahead log in an
 * mlog; SSTables in mblocks, mapped for queries, compacted with direct I/O; a manifest of the
 * live tables and the WAL in the pool's root MDC; its owner tag on every object it makes. For
 * one thread at a time.
 *
 * <p>An SSTable is a run of fixed 256-byte entries sorted by key (key NUL-terminated in the
 * first 16 bytes, value in the other 240) spread over as many mblocks as it fills; the
 * mblock's written length says how many entries it holds. A real engine packs
 * variable-length entries into blocks with an index; the API calls are the same.
 */
final class LsmEngine implements AutoCloseable {
    /** The owner tag of every object the engine makes ("LSMTOUR"): how it finds its orphans. */
    static final long ENGINE_TAG = 0x4C534D544F5552L;

    /** A table: its mblocks in key order, mapped for queries. Tables with higher seq hold newer values. */
    record Table(long seq, List<ObjectId> mblocks, Mcache map) {}

    static final int ENTRY_BYTES = 256;
    static final int KEY_BYTES = 16;
    static final int MEMTABLE_ENTRIES = 5000;
    static final long WAL_BYTES = 1 << 20;
    static final long PAGE = 4096;

    final Mpool pool;
    final boolean created;
    final PrintStream out;
    final Arena arena;
    final MemorySegment writeBuffer;
    final MemorySegment readBuffer;
    final Mdc manifest;
    final long manifestLimit;
    final TreeMap<Long, Table> tables = new TreeMap<>();
    final TreeMap<String, String> memtable = new TreeMap<>();
    ObjectId walId;
    Mlog wal;
    long nextSeq;
    int flushes;
    int orphansDeleted;
    int walRecordsReplayed;
    int manifestCompactions;

    /**
     * Opens the engine on the pool in {@code file}, creating the pool if it is missing. The
     * manifest is compacted when it passes {@code manifestLimit} bytes (0: half its capacity).
     */
    static LsmEngine open(Path file, PrintStream out, long manifestLimit) {
        boolean created = !Files.exists(file);
        // snippet: open-pool
        CreateOptions options = new CreateOptions().size(256L << 20).mblockSize(1 << 20); // a sparse file
        Mpool pool = created ? Mpool.create("lsm-tour", file, options) : Mpool.open(file);
        // end
        Arena arena = Arena.ofConfined(); // the engine's I/O buffers
        try {
            return new LsmEngine(pool, arena, created, out, manifestLimit);
        } catch (RuntimeException e) {
            pool.close();
            arena.close();
            throw e;
        }
    }

    private LsmEngine(Mpool pool, Arena arena, boolean created, PrintStream out, long manifestLimit) {
        this.pool = pool;
        this.arena = arena;
        this.created = created;
        this.out = out;
        out.printf(
                "%s pool %s on %s%n",
                created ? "created" : "opened", pool.name(), pool.devicePath(MediaClass.CAPACITY));
        long mblockBytes = pool.stats().classes().get(MediaClass.CAPACITY).mblockSizeBytes();
        writeBuffer = Mpool.allocateBuffer(arena, mblockBytes);
        readBuffer = Mpool.allocateBuffer(arena, mblockBytes);
        // Recovery, in this order: the manifest says what is live; anything else with our tag is
        // an orphan; then the WAL (made now if the manifest names none) refills the memtable.
        manifest = pool.rootMdc();
        this.manifestLimit = manifestLimit > 0 ? manifestLimit : manifest.capacityBytes() / 2;
        TreeMap<Long, List<ObjectId>> live = replayManifest();
        orphansDeleted = deleteOrphans(live);
        live.forEach((seq, ids) -> tables.put(seq, openTable(seq, ids)));
        nextSeq = tables.isEmpty() ? 1 : tables.lastKey() + 1;
        wal = walId != null ? pool.openMlog(walId) : createWal();
        walRecordsReplayed = replayWal();
        compactManifest(); // as LevelDB starts a new MANIFEST at every open: recovery reads live state only
        out.printf(
                "manifest: %d tables, WAL %s; orphans deleted: %d; WAL records replayed: %d%n",
                tables.size(), walId, orphansDeleted, walRecordsReplayed);
    }

    // ---- the manifest: records in the root MDC ----

    /** Reads the manifest: {@code wal ID}, {@code add SEQ ID...}, {@code drop SEQ...}, edits joined by "; ". */
    private TreeMap<Long, List<ObjectId>> replayManifest() {
        TreeMap<Long, List<ObjectId>> live = new TreeMap<>();
        // snippet: manifest-replay
        try (Mlog.Reader r = manifest.reader()) {
            while (r.next()) {
                for (String edit : new String(r.recordBytes(), UTF_8).split("; ")) {
                    String[] w = edit.split(" ");
                    List<String> a = List.of(w).subList(1, w.length);
                    switch (w[0]) {
                        case "wal" -> walId = ObjectId.parse(a.get(0));
                        case "add" -> live.put(Long.valueOf(a.get(0)), ids(a.subList(1, a.size())));
                        case "drop" -> a.forEach(seq -> live.remove(Long.valueOf(seq)));
                        default -> throw new IllegalStateException("unknown manifest edit: " + edit);
                    }
                }
            }
        }
        // end
        return live;
    }

    private void appendManifest(String record) {
        // snippet: manifest-append
        manifest.append(record.getBytes(UTF_8), true); // durable on return: the engine's commit point
        // end
    }

    /** Rewrites the manifest as the live state alone, crash-safely. */
    private void compactManifest() {
        // snippet: manifest-compact
        manifest.compactStart();
        manifest.append(("wal " + walId).getBytes(UTF_8), false);
        for (Table t : tables.values()) {
            manifest.append(("add " + t.seq() + " " + join(t.mblocks())).getBytes(UTF_8), false);
        }
        manifest.compactEnd(); // durable: the state is now these records alone
        // end
        manifestCompactions++;
    }

    private void compactManifestIfPastLimit() {
        if (manifest.usedBytes() > manifestLimit) {
            compactManifest();
        }
    }

    // ---- owner tags: orphans ----

    /** Deletes what the engine made (its tag) but the manifest does not name: a crash came in between. */
    private int deleteOrphans(TreeMap<Long, List<ObjectId>> live) {
        Set<ObjectId> named = new HashSet<>();
        live.values().forEach(named::addAll);
        if (walId != null) {
            named.add(walId);
        }
        int deleted = 0;
        // snippet: orphans
        for (ObjectInfo o : pool.objects(ENGINE_TAG)) {
            if (!named.contains(o.id())) {
                pool.delete(o.id()); // durable on return; its space is free again
                deleted++;
            }
        }
        // end
        return deleted;
    }

    long taggedObjects() {
        return pool.objects(ENGINE_TAG).size();
    }

    long namedObjects() {
        long named = 1; // the WAL
        for (Table t : tables.values()) {
            named += t.mblocks().size();
        }
        return named;
    }

    // ---- the WAL: an mlog ----

    private Mlog createWal() {
        // snippet: wal-create
        ObjectId id = pool.allocateMlog(MediaClass.CAPACITY, WAL_BYTES);
        pool.commit(id, ENGINE_TAG); // it exists, tagged: an orphan if we crash before the next line
        appendManifest("wal " + id);
        walId = id;
        return pool.openMlog(id);
        // end
    }

    /** Puts a batch: logged first (durable), then applied; flushes the memtable when it is full. */
    SortedMap<String, String> put(SortedMap<String, String> batch) {
        byte[] record = batch.entrySet().stream()
                .map(e -> checked(e.getKey(), KEY_BYTES) + "=" + checked(e.getValue(), ENTRY_BYTES - KEY_BYTES))
                .collect(Collectors.joining("\n"))
                .getBytes(UTF_8);
        // snippet: wal-append
        try {
            wal.append(record, true); // durable on return: now the batch may be acknowledged
        } catch (MpoolException e) {
            if (e.code() != ErrorCode.LOG_FULL) {
                throw e;
            }
            flush(); // the WAL is full (nothing was written): a flush empties it
            wal.append(record, true);
        }
        // end
        memtable.putAll(batch);
        if (memtable.size() >= MEMTABLE_ENTRIES) {
            flush();
        }
        return batch;
    }

    private int replayWal() {
        int records = 0;
        try (Mlog.Reader r = wal.reader()) {
            while (r.next()) {
                for (String line : new String(r.recordBytes(), UTF_8).split("\n")) {
                    int eq = line.indexOf('=');
                    memtable.put(line.substring(0, eq), line.substring(eq + 1));
                }
                records++;
            }
        }
        return records;
    }

    // ---- SSTables: mblocks ----

    /** Writes the memtable as a table, commits it, names it in the manifest, then empties the WAL. */
    void flush() {
        if (memtable.isEmpty()) {
            return;
        }
        long seq = nextSeq++;
        // snippet: flush
        List<MblockWriter> writers = writeTable(memtable);
        pool.commit(writers); // durable on return: one flush per metadata shard, not one per mblock
        List<ObjectId> ids = writers.stream().map(MblockWriter::id).toList();
        appendManifest("add " + seq + " " + join(ids)); // now the table exists for the engine
        tables.put(seq, openTable(seq, ids));
        wal.erase(); // what it held is in the table
        memtable.clear();
        // end
        flushes++;
        out.printf("flushed table %d: %d entries in %d mblocks %s%n", seq, entryCount(ids), ids.size(), ids);
        compactManifestIfPastLimit();
    }

    /** Writes sorted entries into as many tagged mblocks as they fill; the caller commits them. */
    private List<MblockWriter> writeTable(SortedMap<String, String> entries) {
        List<MblockWriter> writers = new ArrayList<>();
        Iterator<Map.Entry<String, String>> it = entries.entrySet().iterator();
        try {
            // snippet: write-table
            while (it.hasNext()) {
                MblockWriter w = pool.allocateMblock(MediaClass.CAPACITY).owner(ENGINE_TAG);
                writers.add(w);
                writeBuffer.fill((byte) 0);
                long n = 0;
                for (; n < w.capacityBytes() / ENTRY_BYTES && it.hasNext(); n++) {
                    Map.Entry<String, String> e = it.next();
                    writeBuffer.setString(n * ENTRY_BYTES, e.getKey());
                    writeBuffer.setString(n * ENTRY_BYTES + KEY_BYTES, e.getValue());
                }
                w.write(writeBuffer.asSlice(0, n * ENTRY_BYTES)); // direct I/O; the last write may be short
            }
            // end
            return writers;
        } catch (RuntimeException e) {
            writers.forEach(MblockWriter::close); // aborts the uncommitted: their space is free again
            throw e;
        }
    }

    private Table openTable(long seq, List<ObjectId> ids) {
        // snippet: map-table
        Mcache map = pool.map(ids, Advice.HOT); // queries read the table in place, through the page cache
        // end
        return new Table(seq, ids, map);
    }

    /** The latest value of {@code key}, or null: the memtable, then the tables newest first. */
    String get(String key) {
        String value = memtable.get(key);
        Iterator<Table> newestFirst = tables.descendingMap().values().iterator();
        while (value == null && newestFirst.hasNext()) {
            value = lookup(newestFirst.next(), key);
        }
        return value;
    }

    // snippet: lookup
    private static String lookup(Table table, String key) {
        table.map().touch(); // for the reaper: this map is in use
        for (ObjectId id : table.mblocks()) {
            MemorySegment entries = table.map().segment(id); // the mblock's written bytes
            long last = entries.byteSize() / ENTRY_BYTES - 1;
            if (key.compareTo(entries.getString(last * ENTRY_BYTES)) <= 0) {
                return search(entries, key, last);
            }
        }
        return null;
    }
    // end

    private static String search(MemorySegment entries, String key, long last) {
        long lo = 0;
        long hi = last;
        while (lo <= hi) {
            long mid = (lo + hi) >>> 1;
            int c = entries.getString(mid * ENTRY_BYTES).compareTo(key);
            if (c == 0) {
                return entries.getString(mid * ENTRY_BYTES + KEY_BYTES);
            }
            if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return null;
    }

    // ---- compaction: direct I/O in, deferred commits out ----

    /** Merges the two oldest tables into one, which takes their place. */
    void compactOldestTwo() {
        if (tables.size() < 2) {
            return;
        }
        Table older = tables.firstEntry().getValue();
        Table newer = tables.higherEntry(older.seq()).getValue();
        SortedMap<String, String> merged = new TreeMap<>();
        readDirect(older, merged);
        readDirect(newer, merged); // read second: its values win
        // snippet: compact-commit
        List<MblockWriter> writers = writeTable(merged);
        for (MblockWriter w : writers) {
            w.commitDeferred(); // immutable and readable now; durable at the next flush
        }
        pool.flush(); // one flush for them all, before the manifest may name them
        List<ObjectId> ids = writers.stream().map(MblockWriter::id).toList();
        appendManifest("drop " + older.seq() + " " + newer.seq() + "; add " + newer.seq() + " " + join(ids));
        // end
        for (Table input : List.of(older, newer)) {
            tables.remove(input.seq());
            // snippet: delete-inputs
            input.map().close(); // a mapped mblock cannot be deleted (BUSY)
            input.mblocks().forEach(pool::delete);
            // end
        }
        tables.put(newer.seq(), openTable(newer.seq(), ids));
        out.printf(
                "compacted tables %d and %d with direct I/O into %d entries in %d mblocks %s; deleted %d mblocks%n",
                older.seq(),
                newer.seq(),
                merged.size(),
                ids.size(),
                ids,
                older.mblocks().size() + newer.mblocks().size());
        compactManifestIfPastLimit();
    }

    /** Reads a table with direct I/O: no page cache, so a compaction does not evict the queries' pages. */
    private void readDirect(Table table, Map<String, String> into) {
        for (ObjectId id : table.mblocks()) {
            // snippet: direct-read
            long length = pool.info(id).lengthBytes();
            MemorySegment pages = readBuffer.asSlice(0, (length + PAGE - 1) / PAGE * PAGE); // whole 4 KiB pages
            pool.readMblock(id, 0, pages);
            // end
            for (long i = 0; i < length / ENTRY_BYTES; i++) {
                into.put(pages.getString(i * ENTRY_BYTES), pages.getString(i * ENTRY_BYTES + KEY_BYTES));
            }
        }
    }

    /** What a crash right after a flush's commit leaves: a committed, tagged table no manifest record names. */
    List<ObjectId> flushButCrashBeforeManifest() {
        List<MblockWriter> writers = writeTable(memtable);
        pool.commit(writers);
        return writers.stream().map(MblockWriter::id).toList(); // no record, no WAL erase: the crash
    }

    private long entryCount(List<ObjectId> ids) {
        return ids.stream()
                .mapToLong(id -> pool.info(id).lengthBytes() / ENTRY_BYTES)
                .sum();
    }

    private static List<ObjectId> ids(List<String> words) {
        return words.stream().map(ObjectId::parse).toList();
    }

    private static String join(List<ObjectId> ids) {
        return ids.stream().map(ObjectId::toString).collect(Collectors.joining(" "));
    }

    private static String checked(String text, int fieldBytes) {
        if (text.getBytes(UTF_8).length >= fieldBytes || text.contains("=") || text.contains("\n")) {
            throw new IllegalArgumentException("does not fit an entry: " + text);
        }
        return text;
    }

    // snippet: close
    @Override
    public void close() {
        try { // maps, then the WAL and the manifest (closing flushes them); the memtable lives on in the WAL
            tables.values().forEach(t -> t.map().close());
            wal.close();
            manifest.close();
        } finally {
            pool.close(); // marks the pool cleanly closed; it would close what is still open too
            arena.close();
        }
    }
    // end
}
