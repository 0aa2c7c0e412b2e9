package io.recap.shapes.cli;

import io.recap.shapes.corpus.ContactSheet;
import io.recap.shapes.corpus.CorpusConfig;
import io.recap.shapes.corpus.CorpusGenerator;
import io.recap.shapes.corpus.Json;
import io.recap.shapes.match.MatchReport;
import io.recap.shapes.match.Matcher;
import io.recap.shapes.oracle.Oracle;
import io.recap.shapes.oracle.OracleReading;
import io.recap.shapes.render.SceneRenderer;
import io.recap.shapes.scene.Scene;
import io.recap.shapes.scene.SceneGenerator;
import io.recap.shapes.text.AltTextConfig;
import io.recap.shapes.text.CaptionParser;
import io.recap.shapes.text.CaptionSet;
import io.recap.shapes.text.CaptionWriter;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The ShapesWorld command line:
 *
 * <pre>
 * java -jar shapes-world/target/shapes-world.jar generate --out DIR --count N --seed S [--size 64] [--human 100]
 *     [--eval 500] [--contact-sheet PNG] [--sheet-count 24]
 * java -jar shapes-world/target/shapes-world.jar parse IMAGE.png [--verbose true]
 * java -jar shapes-world/target/shapes-world.jar show --seed S --index I [--size 64] [--png OUT.png]
 * java -jar shapes-world/target/shapes-world.jar match --prompt TEXT IMAGE.png
 * java -jar shapes-world/target/shapes-world.jar [help [COMMAND] | COMMAND --help]
 * </pre>
 *
 * Exit status: 0 success, 1 runtime failure (I/O, unreadable image), 2 usage error (reported as
 * "error: message" with the command's usage on standard error).
 */
@Command(name = "shapes-world", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
    description = "ShapesWorld: generate corpora, parse images, show scenes, match prompts.",
    subcommands = {ShapesWorldCli.Generate.class, ShapesWorldCli.Parse.class, ShapesWorldCli.Show.class,
        ShapesWorldCli.Match.class, CommandLine.HelpCommand.class})
public final class ShapesWorldCli implements Callable<Integer> {
  private static final int USAGE_ERROR = 2;
  private static final int FAILURE = 1;

  @Spec
  CommandSpec spec;

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one command; returns the exit status instead of exiting (for tests and launchers). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    PrintWriter outWriter = new PrintWriter(out, true, StandardCharsets.UTF_8);
    PrintWriter errWriter = new PrintWriter(err, true, StandardCharsets.UTF_8);
    CommandLine cli = new CommandLine(new ShapesWorldCli()).setOut(outWriter).setErr(errWriter)
        .setParameterExceptionHandler(ShapesWorldCli::usageError)
        .setExecutionExceptionHandler((e, command, parsed) -> {
          // Bad values the library itself refuses (e.g. more human scenes than scenes) are usage errors too.
          if (e instanceof IllegalArgumentException) {
            return usageError(new ParameterException(command, e.getMessage(), e), args);
          }
          command.getErr().println("error: " + e);
          return FAILURE;
        });
    try {
      return cli.execute(args);
    } finally {
      outWriter.flush();
      errWriter.flush();
    }
  }

  private static int usageError(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    command.getErr().println("error: " + e.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(e, command.getErr());
    command.usage(command.getErr());
    return USAGE_ERROR;
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "no command given");
  }

  @Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
      description = "Write N scenes as PNGs plus manifest.jsonl (splits: human, eval, train).")
  static final class Generate implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The corpus directory.")
    Path out;

    @Option(names = "--count", required = true, paramLabel = "N", description = "Scenes to generate.")
    int count;

    @Option(names = "--seed", required = true, paramLabel = "S", description = "The corpus seed.")
    long seed;

    @Option(names = "--size", paramLabel = "PIXELS", description = "Image side; default ${DEFAULT-VALUE}.")
    int size = SceneRenderer.DEFAULT_SIZE;

    @Option(names = "--human", paramLabel = "N",
        description = "Human-captioned scenes; default " + CorpusConfig.DEFAULT_HUMAN + " (at most --count).")
    Integer human;

    @Option(names = "--eval", paramLabel = "N",
        description = "Held-out eval scenes; default " + CorpusConfig.DEFAULT_EVAL + " (at most what is left).")
    Integer eval;

    @Option(names = "--contact-sheet", paramLabel = "PNG", description = "Also write a contact sheet there.")
    Path contactSheet;

    @Option(names = "--sheet-count", paramLabel = "N",
        description = "Scenes on the contact sheet; default ${DEFAULT-VALUE}.")
    int sheetCount = 24;

    @Override
    public Integer call() throws IOException {
      atLeast(spec, "--count", count, 1);
      int humanScenes = human != null ? human : Math.min(CorpusConfig.DEFAULT_HUMAN, count);
      atLeast(spec, "--human", humanScenes, 0);
      int evalScenes = eval != null ? eval
          : Math.max(0, Math.min(CorpusConfig.DEFAULT_EVAL, count - humanScenes));
      atLeast(spec, "--eval", evalScenes, 0);
      atLeast(spec, "--size", size, 1);
      CorpusConfig config = new CorpusConfig(out, count, seed, size, humanScenes, evalScenes,
          AltTextConfig.defaults());
      PrintWriter err = spec.commandLine().getErr();
      CorpusGenerator.generate(config, err::println);
      if (contactSheet != null) {
        atLeast(spec, "--sheet-count", sheetCount, 1);
        ContactSheet.write(config.outDir(), contactSheet, sheetCount);
        err.println("contact sheet written to " + contactSheet);
      }
      spec.commandLine().getOut().println(config.outDir().resolve(CorpusGenerator.MANIFEST));
      return 0;
    }
  }

  @Command(name = "parse", mixinStandardHelpOptions = true,
      description = "Print the scene the oracle reads from an image, as JSON.")
  static final class Parse implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "IMAGE.png", description = "The image to read.")
    String image;

    @Option(names = "--verbose", arity = "0..1", paramLabel = "true|false",
        description = "Print the oracle's whole reading, not only the scene.")
    boolean verbose;

    @Override
    public Integer call() throws IOException {
      OracleReading reading = Oracle.analyze(image(spec, image));
      spec.commandLine().getOut().println(Json.PRETTY.writeValueAsString(verbose ? reading : reading.scene()));
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, sortOptions = false,
      description = "Print the ground truth and the texts of each kind for one scene.")
  static final class Show implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--seed", required = true, paramLabel = "S", description = "The corpus seed.")
    long seed;

    @Option(names = "--index", required = true, paramLabel = "I", description = "The scene's index.")
    long index;

    @Option(names = "--size", paramLabel = "PIXELS",
        description = "Side of the --png image; default ${DEFAULT-VALUE}.")
    int size = SceneRenderer.DEFAULT_SIZE;

    @Option(names = "--png", paramLabel = "OUT.png", description = "Also render the scene there.")
    Path png;

    @Override
    public Integer call() throws IOException {
      atLeast(spec, "--index", index, 0);
      Scene scene = SceneGenerator.generate(seed, index);
      long sceneSeed = SceneGenerator.sceneSeed(seed, index);
      CaptionSet captions = CaptionWriter.captions(scene, sceneSeed);
      Map<String, Object> shown = new LinkedHashMap<>();
      shown.put("seed", seed);
      shown.put("index", index);
      shown.put("sceneSeed", sceneSeed);
      shown.put("scene", scene);
      shown.put("alt", captions.altText());
      shown.put("short", captions.shortCaption());
      shown.put("long", captions.longCaption());
      shown.put("reference", captions.reference());
      shown.put("pretrain", captions.pretrain());
      spec.commandLine().getOut().println(Json.PRETTY.writeValueAsString(shown));
      if (png != null) {
        atLeast(spec, "--size", size, SceneRenderer.MIN_SIZE);
        SceneRenderer.writePng(SceneRenderer.render(scene, size, sceneSeed), png);
      }
      return 0;
    }
  }

  @Command(name = "match", mixinStandardHelpOptions = true,
      description = "Score an image against a prompt by category, as JSON.")
  static final class Match implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "The prompt.")
    String prompt;

    @Parameters(paramLabel = "IMAGE.png", description = "The image to score.")
    String image;

    @Override
    public Integer call() throws IOException {
      if (CaptionParser.parse(prompt).mentions().isEmpty()) {
        throw new ParameterException(spec.commandLine(),
            "the prompt names no ShapesWorld object: '" + prompt + "'");
      }
      MatchReport report = Matcher.match(prompt, image(spec, image));
      spec.commandLine().getOut().println(Json.PRETTY.writeValueAsString(report));
      return 0;
    }
  }

  private static BufferedImage image(CommandSpec spec, String file) throws IOException {
    Path path = Path.of(file);
    if (!Files.isRegularFile(path)) {
      throw new ParameterException(spec.commandLine(), "no such image file: " + file);
    }
    return SceneRenderer.readImage(path);
  }

  private static void atLeast(CommandSpec spec, String option, long value, int min) {
    if (value < min) {
      throw new ParameterException(spec.commandLine(),
          "option " + option + " must be at least " + min + ", got " + value);
    }
  }
}
