package io.recap.service.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.springframework.util.FileSystemUtils;

/** What the services' in-process benchmarks share (this module's test jar): the shipped models and medians. */
public final class ServingBenchmarks {

    private ServingBenchmarks() {
    }

    /**
     * Copies a shipped model ({@code kind/name/version} under the repository's {@code models/}, or under
     * {@code -Drecap.bench.models}) into a model store, where a holder pinned to it loads it.
     */
    public static void copyShippedModel(String model, Path store) throws IOException {
        Path shipped = Path.of(System.getProperty("recap.bench.models", "../models"));
        FileSystemUtils.copyRecursively(shipped.resolve(model),
                Files.createDirectories(store.resolve("models").resolve(model)));
    }

    public static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
