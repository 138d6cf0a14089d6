package org.mpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

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

    /** Runs and asserts exit status 0. */
    Run ok(String... args) throws IOException, InterruptedException {
        Run r = run(args);
        assertThat(r.exit())
                .as("mpool %s\nstdout: %s\nstderr: %s", String.join(" ", args), r.out(), r.err())
                .isZero();
        return r;
    }

    /** Runs and asserts the exit status, and an error line {@code mpool: ... [CODE]} without a stack trace. */
    Run fails(int exit, String code, String... args) throws IOException, InterruptedException {
        Run r = run(args);
        assertThat(r.exit())
                .as("exit of mpool %s; stderr: %s", String.join(" ", args), r.err())
                .isEqualTo(exit);
        assertThat(r.err())
                .as("stderr of mpool %s", String.join(" ", args))
                .contains("[" + code + "]")
                .startsWith("mpool: ");
        assertThat(r.err()).as("no stack trace without --debug").doesNotContain("\tat ");
        return r;
    }

    Run runWithInput(byte[] stdin, String... args) throws IOException, InterruptedException {
        return run(stdin, null, args);
    }

    /** Runs with standard output sent to {@code stdout} (a file, {@code /dev/full}...); {@code out} is then empty. */
    Run runTo(Path stdout, String... args) throws IOException, InterruptedException {
        return run(null, stdout, args);
    }

    private Run run(byte[] stdin, Path stdout, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(root.resolve("mpool").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("MPOOL_CONFIG", registry.toString());
        if (stdout != null) {
            pb.redirectOutput(stdout.toFile());
        }
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
