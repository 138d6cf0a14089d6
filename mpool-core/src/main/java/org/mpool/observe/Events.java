package org.mpool.observe;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * The JDK Flight Recorder events mpool emits, all in category "mpool". Cheap when no recording
 * runs: the JVM keeps an event class disabled until a recording enables it, so {@code begin()},
 * {@code end()} and {@code shouldCommit()} cost a few field reads and the event object is never
 * allocated (escape analysis); the fields are only computed when {@code shouldCommit()} says a
 * recording wants the event. Record with {@code -XX:StartFlightRecording} or {@code jcmd PID
 * JFR.start}; read with {@code jfr print --events org.mpool.DeviceIo rec.jfr}
 * (docs/OBSERVABILITY.md). Stack traces are off by default (these are frequent events); a
 * recording's settings may turn them on.
 */
public final class Events {
    private Events() {}

    /** One call to a pool's device: its duration is the call's latency. */
    @Name("org.mpool.DeviceIo")
    @Label("Device I/O")
    @Category({"mpool", "Device"})
    @Description("A read, write, flush or discard of a pool's device")
    @StackTrace(false)
    public static final class DeviceIo extends Event {
        @Label("Device")
        public String device;

        @Label("Operation")
        @Description("read, write, flush or discard")
        public String operation;

        @Label("Offset")
        @DataAmount
        public long offset;

        @Label("Bytes")
        @DataAmount
        public long bytes;

        @Label("Failed")
        public boolean failed;
    }

    /** One flush round of a log: a write-out and a device flush that made records durable. */
    @Name("org.mpool.LogFlush")
    @Label("Log Flush Round")
    @Category({"mpool", "Log"})
    @Description("A group-commit round of a log: what it wrote, the records it made durable and how long its leader"
            + " waited for sync appenders on their way before it")
    @StackTrace(false)
    public static final class LogFlush extends Event {
        @Label("Log")
        public String log;

        @Label("Records")
        @Description("Records this round made durable (async appends written earlier included)")
        public long records;

        @Label("Bytes Written")
        @DataAmount
        public long bytes;

        @Label("Gather Wait")
        @Description("Time the leader waited for sync appenders on their way to join the round")
        @Timespan
        public long gatherNanos;
    }

    /** A commit of mblocks (one, or a batch) or of an mlog or MDC. */
    @Name("org.mpool.Commit")
    @Label("Commit")
    @Category({"mpool", "Pool"})
    @Description("Objects committed: their records appended to their shards' logs (durable ones flushed)")
    @StackTrace(false)
    public static final class Commit extends Event {
        @Label("Pool")
        public String pool;

        @Label("Objects")
        public int objects;

        @Label("Bytes")
        @Description("Data bytes of the mblocks committed")
        @DataAmount
        public long bytes;

        @Label("Durable")
        @Description("Flushed before the commit returned (false: deferred to the next pool flush)")
        public boolean durable;
    }

    /** A compaction of the catalog: a metadata shard's MDC or MDC-0 rewritten with its live records. */
    @Name("org.mpool.CatalogCompaction")
    @Label("Catalog Compaction")
    @Category({"mpool", "Catalog"})
    @Description("A metadata shard (MDC-1..N) or MDC-0 rewritten into its other log with only its live records")
    @StackTrace(false)
    public static final class CatalogCompaction extends Event {
        @Label("Catalog")
        @Description("MDC-0, or shard N")
        public String catalog;

        @Label("Records")
        @Description("Live records written")
        public long records;

        @Label("Log Bytes Before")
        @DataAmount
        public long bytesBefore;

        @Label("Log Bytes After")
        @DataAmount
        public long bytesAfter;
    }

    /** A scan of the reaper over one pool's maps. */
    @Name("org.mpool.ReaperScan")
    @Label("Reaper Scan")
    @Category({"mpool", "Reaper"})
    @Description("The reaper measured a pool's maps (mincore) and evicted what its policy chose")
    @StackTrace(false)
    public static final class ReaperScan extends Event {
        @Label("Pool")
        public String pool;

        @Label("Maps")
        public int maps;

        @Label("Resident Bytes After")
        @DataAmount
        public long residentBytes;

        @Label("Budget")
        @DataAmount
        public long budgetBytes;

        @Label("Evictions")
        public int evictions;

        @Label("Evicted Bytes")
        @DataAmount
        public long evictedBytes;
    }

    /** One map range the reaper evicted. */
    @Name("org.mpool.ReaperEviction")
    @Label("Reaper Eviction")
    @Category({"mpool", "Reaper"})
    @Description("The pages of an mblock's range in a map dropped from the page cache")
    @StackTrace(false)
    public static final class ReaperEviction extends Event {
        @Label("Pool")
        public String pool;

        @Label("Mblock")
        public String mblock;

        @Label("Advice")
        public String advice;

        @Label("Resident Bytes")
        @DataAmount
        public long bytes;

        @Label("Idle Past The TTL")
        public boolean expired;
    }
}
