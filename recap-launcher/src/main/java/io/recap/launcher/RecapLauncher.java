package io.recap.launcher;

import io.recap.shapes.corpus.ContactSheet;
import io.recap.shapes.corpus.CorpusConfig;
import io.recap.shapes.corpus.CorpusGenerator;
import io.recap.shapes.corpus.CorpusSummary;
import io.recap.shapes.text.AltTextConfig;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Runs the platform's main job on one machine with embedded defaults: generates a ShapesWorld
 * corpus and its contact sheet, then runs the whole RECAP loop through the platform's services
 * ({@link RecapLoop}) and prints what the recaptioned model gained over the alt-text one. With
 * {@code --platform-url} the services are a platform that already runs (the Compose stack), which
 * the launcher drives through its published ports instead of starting its own.
 *
 * <pre>
 * java -jar recap-launcher/target/recap-launcher.jar [--data DIR] [--preset demo|ci|smoke|small] [--count N]
 *     [--seed S] [--port-base P] [--serve] [--corpus-only] [--experiment [--seeds N] [--t2i-steps N]]
 *     [--platform-url URL --platform-data DIR [--platform-data-path PATH] [--api-key-file FILE]
 *      [--caption-url URL] [--generation-url URL]]
 * </pre>
 *
 * ({@link LaunchOptions.Flags}; {@code --help} lists them). Exit status 0 when the run finished, 2 for bad
 * arguments (with the usage), 1 when the run failed.
 */
@Command(name = "java -jar recap-launcher.jar", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs the platform's main job on one machine: a ShapesWorld corpus, then the RECAP loop "
                + "through the platform's services.")
public final class RecapLauncher implements Callable<Integer> {

    @Mixin
    LaunchOptions.Flags flags;

    @Spec
    CommandSpec spec;

    private RecapLauncher() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command; returns the exit status. */
    static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The command, for {@link #run(String...)} and for tests that read what it prints. */
    static CommandLine commandLine() {
        return new CommandLine(new RecapLauncher());
    }

    @Override
    public Integer call() throws Exception {
        LaunchOptions options;
        try {
            options = flags.toOptions();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        run(options, installation(), System.out::println);
        return 0;
    }

    /**
     * The main job: the corpus (in the platform's data directory: this run's own, or {@code --platform-data}), then
     * (unless {@code --corpus-only}) the RECAP loop, its summary and, with {@code --serve}, the services until the
     * process stops.
     *
     * @param installation the checkout holding the services' jars and the shipped {@code models/}
     * @return what the loop produced; null with {@code --corpus-only}
     */
    static RecapLoop.Outcome run(LaunchOptions options, Path installation, Consumer<String> out) throws Exception {
        long begin = System.nanoTime();
        String corpusId = "shapes-" + options.seed() + "-" + options.preset();
        PlatformData platformData = options.platformData();
        Path corpusDir = platformData.corpusDir(corpusId);
        // Both files: a corpus generated before the neutral manifest existed has no corpus.jsonl and is made again
        // (same seed and size, same corpus), since the ingest reads only corpus.jsonl.
        if (Files.exists(corpusDir.resolve(CorpusGenerator.MANIFEST))
                && Files.exists(corpusDir.resolve(CorpusGenerator.RECORDS))) {
            out.accept("corpus already present: " + corpusDir.toAbsolutePath());
        } else {
            int scenes = options.scenes();
            int human = Math.min(CorpusConfig.DEFAULT_HUMAN, scenes / 4);
            int eval = Math.min(CorpusConfig.DEFAULT_EVAL, scenes / 4);
            CorpusSummary summary = CorpusGenerator.generate(new CorpusConfig(corpusDir, scenes, options.seed(),
                    options.imageSize(), human, eval, AltTextConfig.defaults()), out);
            out.accept(String.format(Locale.ROOT, "corpus: %d scenes (%d human, %d eval, %d train) in %.1f s"
                    + " (%.0f scenes/s)", summary.scenes(), summary.human(), summary.eval(), summary.train(),
                    summary.seconds(), summary.scenesPerSecond()));
        }
        Path sheet = corpusDir.resolve("contact-sheet.png");
        ContactSheet.write(corpusDir, sheet, 64);
        platformData.handOver(corpusDir);
        out.accept("corpus:        " + corpusDir.toAbsolutePath());
        out.accept("contact sheet: " + sheet.toAbsolutePath());
        if (options.corpusOnly()) {
            return null;
        }
        RecapLoop loop = new RecapLoop(options, installation, out);
        if (options.experiment()) {
            try {
                Path table = loop.runExperiment(corpusId, corpusDir, options.seeds());
                out.accept("RECAP table: " + table);
                return null;
            } finally {
                loop.close();
            }
        }
        Thread shutdown = new Thread(loop::close, "recap-launcher-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        try {
            RecapLoop.Outcome outcome = loop.run(corpusId, corpusDir);
            printSummary(outcome, out);
            long seconds = (System.nanoTime() - begin) / 1_000_000_000L;
            out.accept(String.format(Locale.ROOT, "wall time:       %d min %02d s (corpus to served models)",
                    seconds / 60, seconds % 60));
            if (options.serve()) {
                loop.awaitShutdown();
            }
            return outcome;
        } finally {
            loop.close();
            Runtime.getRuntime().removeShutdownHook(shutdown);
        }
    }

    private static void printSummary(RecapLoop.Outcome outcome, Consumer<String> out) {
        out.accept("");
        out.accept("captioner:  " + outcome.captioner());
        ComparisonReport.table(outcome.comparison()).forEach(out);
        out.accept(ComparisonReport.verdict(outcome.comparison()));
        out.accept("report:          " + outcome.report());
        out.accept("generated image: " + outcome.generatedImage());
        out.accept("transcript:      " + outcome.transcript());
    }

    /**
     * The checkout the services' jars are in: {@code -Drecap.home}, else the directory above
     * {@code recap-launcher/target/recap-launcher.jar}, else the working directory.
     */
    private static Path installation() throws URISyntaxException {
        String home = System.getProperty("recap.home");
        if (home != null) {
            return Path.of(home).toAbsolutePath();
        }
        Path jar = Path.of(RecapLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path candidate = jar.getParent() == null ? null : jar.getParent().getParent();
        if (candidate != null && candidate.getParent() != null
                && Files.isRegularFile(candidate.getParent().resolve("pom.xml"))) {
            return candidate.getParent();
        }
        return Path.of("").toAbsolutePath();
    }
}
