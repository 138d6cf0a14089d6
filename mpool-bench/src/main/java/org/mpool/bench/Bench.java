package org.mpool.bench;

/** Placeholder entry point replaced by the benchmark harness. */
public final class Bench {
    private Bench() {}

    public static void main(String[] args) {
        System.out.println("benchmarks: none yet");
    }
}
