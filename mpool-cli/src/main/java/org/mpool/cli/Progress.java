package org.mpool.cli;

import java.io.PrintStream;

/** A progress bar on stderr, shown only when a person is watching (stderr is a terminal). */
final class Progress {
    private final String label;
    private final boolean shown;
    private final PrintStream err = System.err;
    private int lastPercent = -1;

    Progress(String label) {
        this.label = label;
        this.shown = System.console() != null && System.getenv("MPOOL_NO_PROGRESS") == null;
    }

    /** Reports {@code done} of {@code total}; returns 0 so it fits a LongBinaryOperator. */
    long update(long done, long total) {
        if (!shown || total <= 0) {
            return 0;
        }
        int percent = (int) (done * 100 / total);
        if (percent != lastPercent) {
            lastPercent = percent;
            int bar = percent * 30 / 100;
            err.printf("\r%s [%s%s] %3d%% (%d/%d)", label, "#".repeat(bar), " ".repeat(30 - bar), percent, done, total);
            if (done >= total) {
                err.println();
            }
        }
        return 0;
    }
}
