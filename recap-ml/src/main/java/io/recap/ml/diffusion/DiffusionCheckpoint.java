package io.recap.ml.diffusion;

import com.google.gson.Gson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A training checkpoint: a directory {@code step-NNNNNNNN/} holding the live and EMA weights
 * (each with config and vocabulary, as {@link DiffusionModel#save}), the Adam moments and the
 * trainer state (step, random-stream state, losses so far). It is written into a hidden staging
 * directory and renamed into place, so a crash never leaves half a checkpoint behind.
 */
public final class DiffusionCheckpoint {

    static final String LIVE = "live";
    static final String EMA = "ema";
    static final String OPTIMIZER_FILE = "optimizer.ndlist";
    static final String STATE_FILE = "trainer-state.json";
    private static final String PREFIX = "step-";
    private static final Gson GSON = new Gson();

    /**
     * What besides weights a resumed run needs.
     *
     * @param step optimisation steps done
     * @param randomState state of the trainer's random stream after that step
     * @param optimizerUpdates updates Adam applied (steps minus skipped ones)
     * @param preset preset name the run was started with
     * @param captionMix the caption mix, in {@code CaptionMix.toString()} form
     * @param skippedSteps steps skipped for non-finite gradients
     * @param losses per-step losses so far, for the loss curve
     */
    public record State(int step, long randomState, int optimizerUpdates, String preset, String captionMix,
            int skippedSteps, float[] losses) {
    }

    private DiffusionCheckpoint() {
    }

    /** Writes a checkpoint under {@code root}, keeping the newest {@code keep} ones; returns its directory. */
    static Path write(Path root, DiffusionModel live, DiffusionModel ema, byte[] optimizerState, State state,
            int keep) throws IOException {
        Path target = root.resolve(String.format(Locale.ROOT, "%s%08d", PREFIX, state.step()));
        Path staging = root.resolve(".staging-" + target.getFileName());
        deleteRecursively(staging);
        live.save(staging, LIVE);
        ema.save(staging, EMA);
        Files.write(staging.resolve(OPTIMIZER_FILE), optimizerState);
        Files.writeString(staging.resolve(STATE_FILE), GSON.toJson(state), StandardCharsets.UTF_8);
        deleteRecursively(target);
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        List<Path> all = list(root);
        for (int i = 0; i < all.size() - Math.max(1, keep); i++) {
            deleteRecursively(all.get(i));
        }
        return target;
    }

    /** The newest checkpoint under {@code root}, if any. */
    public static Optional<Path> latest(Path root) {
        List<Path> all = list(root);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** Checkpoint directories under {@code root}, oldest first. */
    public static List<Path> list(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.list(root)) {
            return paths.filter(p -> p.getFileName().toString().startsWith(PREFIX) && Files.isDirectory(p))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + root, e);
        }
    }

    public static State readState(Path checkpoint) throws IOException {
        return GSON.fromJson(Files.readString(checkpoint.resolve(STATE_FILE), StandardCharsets.UTF_8), State.class);
    }

    static byte[] readOptimizerState(Path checkpoint) throws IOException {
        return Files.readAllBytes(checkpoint.resolve(OPTIMIZER_FILE));
    }

    /** The checkpoint's EMA weights as a model to sample from (or to publish). */
    public static DiffusionModel loadEma(Path checkpoint) throws IOException {
        return DiffusionModel.load(checkpoint, EMA);
    }

    static DiffusionModel loadLive(Path checkpoint) throws IOException {
        return DiffusionModel.load(checkpoint, LIVE);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
