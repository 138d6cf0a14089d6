package org.mpool.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code ./mpool} launcher as a subprocess with its own registry. */
final class Launcher {
    /** What a run printed and returned. */
    record Run(int exit, String out, String err) {}

    private final Path root =
            Path.of(System.getProperty("mpool.root", "..")).toAbsolutePath().normalize();
    private final Path registry;

    Launcher(Path registry) {
        this.registry = registry;
    }

    Run run(String... args) throws IOException, InterruptedException {
        return runWithInput(null, args);
    }

    Run runWithInput(byte[] stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(root.resolve("mpool").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("MPOOL_CONFIG", registry.toString());
        Process p = pb.start();
        // Fed from a thread: a command may stop reading (a full mlog) or write before it reads.
        Thread in = Thread.ofPlatform().start(() -> {
            try (var out = p.getOutputStream()) {
                if (stdin != null) {
                    out.write(stdin);
                }
            } catch (IOException e) {
                // the command stopped reading its input: what it did with it is what the test checks
            }
        });
        byte[][] streams = new byte[2][];
        Thread err = Thread.ofPlatform().start(() -> {
            try {
                streams[1] = p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                streams[1] = e.toString().getBytes();
            }
        });
        streams[0] = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("mpool " + String.join(" ", args) + " did not finish in 120 s");
        }
        err.join();
        in.join();
        return new Run(
                p.exitValue(),
                new String(streams[0], StandardCharsets.UTF_8),
                new String(streams[1], StandardCharsets.UTF_8));
    }

    byte[] runForBytes(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(root.resolve("mpool").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("MPOOL_CONFIG", registry.toString());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        p.waitFor(120, TimeUnit.SECONDS);
        return out;
    }
}
