package org.mpool;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The API tester's table of operations and their weights, and a lane's loop over it. The
 * weights keep the pool busy but not full: allocations outweigh deletes a little, so NO_SPACE
 * comes up now and then, and appends dominate the logs so LOG_FULL does too.
 */
final class ApiModelOps {
    /** One operation: returns false when the lane has nothing to apply it to. */
    record Op(String name, int weight, Predicate<ApiModelLane> run) {}

    private ApiModelOps() {}

    /** Every operation; {@code owners}: the pool's devices take any uid, gid and mode (memory devices). */
    static List<Op> table(ApiModelPoolOps.Staging staging, boolean owners) {
        List<Op> t = new ArrayList<>();
        // mblocks
        t.add(new Op("allocateMblock", 10, ApiModelMblocks::allocate));
        t.add(new Op("owner", 3, ApiModelMblocks::owner));
        t.add(new Op("write", 16, ApiModelMblocks::write));
        t.add(new Op("commit", 5, l -> ApiModelMblocks.commit(l, false)));
        t.add(new Op("commitDeferred", 4, l -> ApiModelMblocks.commit(l, true)));
        t.add(new Op("commit(List)", 3, ApiModelMblocks::commitBatch));
        t.add(new Op("abort", 2, ApiModelMblocks::abort));
        t.add(new Op("readMblock(arena)", 5, ApiModelMblocks::readWhole));
        t.add(new Op("readMblock(range)", 6, ApiModelMblocks::readRange));
        t.add(new Op("delete mblock", 6, ApiModelMblocks::delete));
        t.add(new Op("info", 3, ApiModelMblocks::info));
        // mlogs and MDCs
        t.add(new Op("allocate log", 4, ApiModelLogs::allocate));
        t.add(new Op("commit log", 4, ApiModelLogs::commit));
        t.add(new Op("abort log", 1, ApiModelLogs::abort));
        t.add(new Op("open", 5, ApiModelLogs::open));
        t.add(new Op("append", 18, ApiModelLogs::append));
        t.add(new Op("flush", 3, ApiModelLogs::flush));
        t.add(new Op("erase", 2, ApiModelLogs::erase));
        t.add(new Op("reader", 3, ApiModelLogs::reader));
        t.add(new Op("pool.read", 3, ApiModelLogs::poolRead));
        t.add(new Op("close log", 4, ApiModelLogs::close));
        t.add(new Op("compact", 4, ApiModelLogs::compact));
        t.add(new Op("delete log", 3, ApiModelLogs::delete));
        // maps
        t.add(new Op("map", 3, ApiModelMaps::map));
        t.add(new Op("use map", 4, ApiModelMaps::use));
        t.add(new Op("close map", 3, ApiModelMaps::close));
        t.add(new Op("map shared", 2, ApiModelMaps::mapShared));
        t.add(new Op("map misuse", 1, ApiModelMaps::misuse));
        // what lanes share
        t.add(new Op("shared append", 10, l -> l.shared != null && l.shared.append(l)));
        t.add(new Op("shared read", 2, l -> l.shared != null && l.shared.read(l)));
        t.add(new Op("shared erase", 3, l -> l.shared != null && l.shared.erase(l)));
        t.add(new Op("contended open", 4, l -> l.contended != null && l.contended.use(l)));
        t.add(new Op("contended delete", 1, l -> l.contended != null && l.contended.delete(l)));
        // the pool
        t.add(new Op("pool.flush", 2, ApiModelPoolOps::flush));
        t.add(new Op("compactMetadata", 1, ApiModelPoolOps::compactMetadata));
        t.add(new Op("reaper config", 1, ApiModelPoolOps::reaper));
        t.add(new Op("check", 1, ApiModelPoolOps::check));
        t.add(new Op("listings", 2, ApiModelPoolOps::listings));
        t.add(new Op("setProperty", 2, l -> ApiModelPoolOps.setProperty(l, owners)));
        t.add(new Op("rename", 1, ApiModelPoolOps::rename));
        t.add(new Op("addStaging", 1, l -> ApiModelPoolOps.addStaging(l, staging)));
        // misuse
        t.add(new Op("misuse", 10, ApiModelMisuse::run));
        return List.copyOf(t);
    }

    /** Runs {@code ops} operations of {@code table} on lane {@code l}, stopping early if {@code stop} says so. */
    static void run(ApiModelLane l, List<Op> table, int ops, BooleanSupplier stop) {
        int total = table.stream().mapToInt(Op::weight).sum();
        for (int done = 0; done < ops && !stop.getAsBoolean(); ) {
            int pick = l.random.nextInt(total);
            Op op = null;
            for (Op o : table) {
                pick -= o.weight();
                if (pick < 0) {
                    op = o;
                    break;
                }
            }
            if (op.run().test(l)) {
                l.expect.journal().tally(op.name());
                done++;
            }
        }
    }
}
