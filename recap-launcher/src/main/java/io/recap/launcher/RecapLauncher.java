package io.recap.launcher;

import io.recap.shapes.corpus.ContactSheet;
import io.recap.shapes.corpus.CorpusConfig;
import io.recap.shapes.corpus.CorpusGenerator;
import io.recap.shapes.corpus.CorpusSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Runs the platform's main job on one machine: today it generates a ShapesWorld corpus (the
 * benchmark world the RECAP loop is measured on) and its contact sheet.
 *
 * <p>Usage: {@code java -jar recap-launcher.jar [--data DIR] [--count N] [--seed S]}.
 */
public final class RecapLauncher {

    private RecapLauncher() {
    }

    public static void main(String[] args) throws Exception {
        LaunchOptions options = LaunchOptions.parse(args);
        Path corpusDir = options.dataDir().resolve("corpora/shapes-" + options.seed());
        if (Files.exists(corpusDir.resolve(CorpusGenerator.MANIFEST))) {
            System.out.println("corpus already present: " + corpusDir.toAbsolutePath());
        } else {
            CorpusSummary summary = CorpusGenerator.generate(
                    CorpusConfig.of(corpusDir, options.count(), options.seed()), System.out::println);
            System.out.printf(Locale.ROOT, "corpus: %d scenes (%d human, %d eval, %d train) in %.1f s (%.0f scenes/s)%n",
                    summary.scenes(), summary.human(), summary.eval(), summary.train(), summary.seconds(),
                    summary.scenesPerSecond());
        }
        Path sheet = corpusDir.resolve("contact-sheet.png");
        ContactSheet.write(corpusDir, sheet, 64);
        System.out.println("corpus:        " + corpusDir.toAbsolutePath());
        System.out.println("contact sheet: " + sheet.toAbsolutePath());
    }
}
