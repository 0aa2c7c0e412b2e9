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
import java.util.TreeSet;

/**
 * Runs the platform's main job on one machine with embedded defaults: generates a ShapesWorld
 * corpus and its contact sheet, then runs the whole RECAP loop through the platform's services
 * ({@link RecapLoop}) and prints what the recaptioned model gained over the alt-text one.
 *
 * <p>Usage: {@value LaunchOptions#USAGE}.
 */
public final class RecapLauncher {

    private RecapLauncher() {
    }

    public static void main(String[] args) throws Exception {
        LaunchOptions options;
        try {
            options = LaunchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        String corpusId = "shapes-" + options.seed() + "-" + options.preset();
        Path corpusDir = options.dataDir().resolve("corpora").resolve(corpusId);
        if (Files.exists(corpusDir.resolve(CorpusGenerator.MANIFEST))) {
            System.out.println("corpus already present: " + corpusDir.toAbsolutePath());
        } else {
            int scenes = options.scenes();
            int human = Math.min(CorpusConfig.DEFAULT_HUMAN, scenes / 4);
            int eval = Math.min(CorpusConfig.DEFAULT_EVAL, scenes / 4);
            CorpusSummary summary = CorpusGenerator.generate(new CorpusConfig(corpusDir, scenes, options.seed(),
                    options.imageSize(), human, eval, AltTextConfig.defaults()), System.out::println);
            System.out.printf(Locale.ROOT, "corpus: %d scenes (%d human, %d eval, %d train) in %.1f s (%.0f scenes/s)%n",
                    summary.scenes(), summary.human(), summary.eval(), summary.train(), summary.seconds(),
                    summary.scenesPerSecond());
        }
        Path sheet = corpusDir.resolve("contact-sheet.png");
        ContactSheet.write(corpusDir, sheet, 64);
        System.out.println("corpus:        " + corpusDir.toAbsolutePath());
        System.out.println("contact sheet: " + sheet.toAbsolutePath());
        if (options.corpusOnly()) {
            return;
        }
        RecapLoop loop = new RecapLoop(options, installation(), System.out::println);
        Runtime.getRuntime().addShutdownHook(new Thread(loop::close, "recap-launcher-shutdown"));
        try {
            RecapLoop.Outcome outcome = loop.run(corpusId, corpusDir);
            printSummary(outcome);
            if (options.serve()) {
                loop.awaitShutdown();
            }
        } finally {
            loop.close();
        }
    }

    private static void printSummary(RecapLoop.Outcome outcome) {
        System.out.println();
        System.out.println("captioner:  " + outcome.captioner());
        System.out.printf(Locale.ROOT, "%-28s %14s %14s%n", "oracle success rate", outcome.recapModel().name(),
                outcome.altModel().name());
        TreeSet<String> keys = new TreeSet<>(outcome.recapMetrics().keySet());
        keys.retainAll(outcome.altMetrics().keySet());
        for (String key : keys) {
            if (key.startsWith("matcher.")) {
                System.out.printf(Locale.ROOT, "%-28s %14.3f %14.3f%n", key, outcome.recapMetrics().get(key),
                        outcome.altMetrics().get(key));
            }
        }
        System.out.println("generated image: " + outcome.generatedImage());
        System.out.println("transcript:      " + outcome.transcript());
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
