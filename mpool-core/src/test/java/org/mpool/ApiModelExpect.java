package org.mpool;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.testing.Seeds;

/**
 * How the API tester judges one call: it must return, or fail with an {@link MpoolException}
 * of a code it expects. Anything else — another code, a raw {@code IndexOutOfBoundsException}
 * or {@code IllegalStateException}, a {@code NullPointerException} for an argument that was
 * not null — fails the run with the seed, the lane, the call and the calls before it, so the
 * failure can be read without a debugger and replayed with {@code -Dmpool.seed}.
 *
 * <p>One per lane (a thread of a phase); not thread-safe.
 */
final class ApiModelExpect {
    private static final int HISTORY = 40;

    /**
     * Every lane's operations in one run, in the order they began (the newest
     * {@value #JOURNAL_KEPT}): a failure quotes those that named the objects it names, whichever
     * lane or phase ran them.
     */
    static final class Journal {
        private static final int JOURNAL_KEPT = 20_000;
        private final ConcurrentLinkedQueue<String> entries = new ConcurrentLinkedQueue<>();
        private final AtomicLong count = new AtomicLong();
        /** How often each operation ran and each error code came back: a run that never reached a case tested nothing there. */
        private final Map<String, LongAdder> tally = new ConcurrentSkipListMap<>();

        void tally(String what) {
            tally.computeIfAbsent(what, k -> new LongAdder()).increment();
        }

        String tally() {
            return tally.toString();
        }

        void add(String entry) {
            entries.add(count.incrementAndGet() + " " + entry);
            if (count.get() > JOURNAL_KEPT) {
                entries.poll();
            }
        }

        List<String> naming(Set<String> ids) {
            List<String> out = new ArrayList<>();
            for (String e : entries) {
                if (ids.stream().anyMatch(e::contains)) {
                    out.add(e);
                }
            }
            return out.subList(Math.max(0, out.size() - HISTORY), out.size());
        }
    }

    private static final Pattern ID = Pattern.compile("0x[0-9a-f]{16}");

    private final long seed;
    private final String lane;
    private final Journal journal;
    private final ArrayDeque<String> history = new ArrayDeque<>();
    private String op = "(no call yet)";

    ApiModelExpect(long seed, String lane, Journal journal) {
        this.seed = seed;
        this.lane = lane;
        this.journal = journal;
    }

    /** Names the operation under way; failures quote it and the ones before it. */
    void begin(String description) {
        op = description;
        if (history.size() == HISTORY) {
            history.removeFirst();
        }
        history.addLast(description);
        journal.add(lane + ": " + description);
    }

    /** The call must return normally; returns its result. */
    <T> T ok(String call, Supplier<T> body) {
        try {
            return body.get();
        } catch (Throwable e) {
            throw fail(call + " must succeed, threw " + e, e);
        }
    }

    /** The call must return normally. */
    void succeeds(String call, Runnable body) {
        ok(call, () -> {
            body.run();
            return null;
        });
    }

    /** The call must fail with one of {@code codes}; returns the code it failed with. */
    ErrorCode fails(String call, Runnable body, ErrorCode... codes) {
        Set<ErrorCode> allowed =
                codes.length == 0 ? EnumSet.noneOf(ErrorCode.class) : EnumSet.copyOf(Arrays.asList(codes));
        try {
            body.run();
        } catch (MpoolException e) {
            if (allowed.contains(e.code())) {
                journal.tally(e.code().name());
                return e.code();
            }
            throw fail(call + " must fail with " + allowed + ", failed with " + e, e);
        } catch (Throwable e) {
            throw fail(call + " must fail with " + allowed + ", threw " + e, e);
        }
        throw fail(call + " must fail with " + allowed + ", returned", null);
    }

    /**
     * The call may return or fail with one of {@code codes}, when the model cannot tell which
     * (a run of zones may be scattered; another thread may be appending). Returns the code it
     * failed with, or null if it returned.
     */
    ErrorCode either(String call, Runnable body, ErrorCode... codes) {
        try {
            body.run();
            return null;
        } catch (MpoolException e) {
            for (ErrorCode c : codes) {
                if (c == e.code()) {
                    journal.tally(c.name());
                    return c;
                }
            }
            throw fail(call + " must succeed or fail with " + Arrays.toString(codes) + ", failed with " + e, e);
        } catch (Throwable e) {
            throw fail(call + " must succeed or fail with " + Arrays.toString(codes) + ", threw " + e, e);
        }
    }

    /**
     * A null argument: the API's documented null check, a {@link NullPointerException} (or an
     * INVALID_ARGUMENT that names the argument). What it must not do is change anything, which
     * the next comparison with the model checks.
     */
    void rejectsNull(String call, Runnable body) {
        try {
            body.run();
        } catch (NullPointerException e) {
            journal.tally("NullPointerException");
            return;
        } catch (MpoolException e) {
            if (e.code() == ErrorCode.INVALID_ARGUMENT) {
                return;
            }
            throw fail(call + " with a null argument must throw NullPointerException, failed with " + e, e);
        } catch (Throwable e) {
            throw fail(call + " with a null argument must throw NullPointerException, threw " + e, e);
        }
        throw fail(call + " with a null argument must throw NullPointerException, returned", null);
    }

    /** A check of the outcome failed. */
    void check(boolean condition, Supplier<String> what) {
        if (!condition) {
            throw fail(what.get(), null);
        }
    }

    AssertionError fail(String what, Throwable cause) {
        StringBuilder b = new StringBuilder();
        b.append(lane).append(", in ").append(op).append(":\n  ").append(what);
        b.append("\n  ").append(Seeds.describe(seed));
        b.append("\n  the calls of this lane before it, oldest first:");
        for (String h : history) {
            b.append("\n    ").append(h);
        }
        Set<String> ids = new TreeSet<>();
        Matcher m = ID.matcher(what + " " + op);
        while (m.find()) {
            ids.add(m.group());
        }
        if (!ids.isEmpty()) {
            b.append("\n  every lane's calls naming ").append(ids).append(", oldest first:");
            for (String h : journal.naming(ids)) {
                b.append("\n    ").append(h);
            }
        }
        return new AssertionError(b.toString(), cause);
    }

    String lane() {
        return lane;
    }

    Journal journal() {
        return journal;
    }
}
