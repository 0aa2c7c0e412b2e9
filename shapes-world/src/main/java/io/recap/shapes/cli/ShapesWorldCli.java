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
import io.recap.shapes.text.CaptionSet;
import io.recap.shapes.text.CaptionWriter;
import io.recap.shapes.text.CaptionParser;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code java -jar shapes-world/target/shapes-world.jar <command> ...}; see {@link #USAGE}.
 * Exit status: 0 success, 1 runtime failure (I/O, unreadable image), 2 usage error.
 */
public final class ShapesWorldCli {
  static final String USAGE = """
      usage: shapes-world <command> [options]
        generate --out DIR --count N --seed S [--size 64] [--human 100] [--eval 500]
                 [--contact-sheet PNG] [--sheet-count 24]
            write N scenes as PNGs plus manifest.jsonl (splits: human, eval, train)
        parse IMAGE.png [--verbose true]
            print the scene the oracle reads from an image, as JSON
        show --seed S --index I [--size 64] [--png OUT.png]
            print the ground truth and the texts of each kind for one scene
        match --prompt TEXT IMAGE.png
            score an image against a prompt by category, as JSON
        help
      """;

  private ShapesWorldCli() {}

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one command; returns the exit status instead of exiting (for tests and launchers). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println("error: no command given");
      err.print(USAGE);
      return 2;
    }
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    try {
      switch (args[0]) {
        case "generate" -> generate(rest, out, err);
        case "parse" -> parse(rest, out);
        case "show" -> show(rest, out);
        case "match" -> match(rest, out);
        case "help", "--help", "-h" -> out.print(USAGE);
        default -> throw new CliException("unknown command '" + args[0] + "'");
      }
      return 0;
    } catch (CliException | IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.print(USAGE);
      return 2;
    } catch (IOException | RuntimeException e) {
      err.println("error: " + e);
      return 1;
    }
  }

  private static void generate(List<String> args, PrintStream out, PrintStream err)
      throws IOException {
    CliArguments a = new CliArguments(args, Set.of("out", "count", "seed", "size", "human",
        "eval", "contact-sheet", "sheet-count"));
    noPositional(a);
    int count = a.intValue("count", null, 1);
    int human = a.intValue("human", Math.min(CorpusConfig.DEFAULT_HUMAN, count), 0);
    int eval = a.intValue("eval", Math.max(0, Math.min(CorpusConfig.DEFAULT_EVAL, count - human)),
        0);
    CorpusConfig config = new CorpusConfig(Path.of(a.required("out")), count,
        a.longValue("seed", null), a.intValue("size", SceneRenderer.DEFAULT_SIZE, 1), human,
        eval, AltTextConfig.defaults());
    CorpusGenerator.generate(config, err::println);
    if (a.has("contact-sheet")) {
      Path sheet = Path.of(a.string("contact-sheet", null));
      ContactSheet.write(config.outDir(), sheet, a.intValue("sheet-count", 24, 1));
      err.println("contact sheet written to " + sheet);
    }
    out.println(config.outDir().resolve(CorpusGenerator.MANIFEST));
  }

  private static void parse(List<String> args, PrintStream out) throws IOException {
    CliArguments a = new CliArguments(args, Set.of("verbose"));
    OracleReading reading = Oracle.analyze(image(single(a, "IMAGE.png")));
    boolean verbose = Boolean.parseBoolean(a.string("verbose", "false"));
    out.println(Json.PRETTY.writeValueAsString(verbose ? reading : reading.scene()));
  }

  private static void show(List<String> args, PrintStream out) throws IOException {
    CliArguments a = new CliArguments(args, Set.of("seed", "index", "size", "png"));
    noPositional(a);
    long seed = a.longValue("seed", null);
    long index = a.longValue("index", null);
    if (index < 0) {
      throw new CliException("option --index must be at least 0");
    }
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
    out.println(Json.PRETTY.writeValueAsString(shown));
    if (a.has("png")) {
      SceneRenderer.writePng(SceneRenderer.render(scene,
          a.intValue("size", SceneRenderer.DEFAULT_SIZE, SceneRenderer.MIN_SIZE), sceneSeed),
          Path.of(a.string("png", null)));
    }
  }

  private static void match(List<String> args, PrintStream out) throws IOException {
    CliArguments a = new CliArguments(args, Set.of("prompt"));
    String prompt = a.required("prompt");
    if (CaptionParser.parse(prompt).mentions().isEmpty()) {
      throw new CliException("the prompt names no ShapesWorld object: '" + prompt + "'");
    }
    MatchReport report = Matcher.match(prompt, image(single(a, "IMAGE.png")));
    out.println(Json.PRETTY.writeValueAsString(report));
  }

  private static BufferedImage image(String file) throws IOException {
    Path path = Path.of(file);
    if (!Files.isRegularFile(path)) {
      throw new CliException("no such image file: " + file);
    }
    return SceneRenderer.readImage(path);
  }

  private static String single(CliArguments a, String what) {
    if (a.positional().size() != 1) {
      throw new CliException("expected exactly one " + what + ", got " + a.positional().size());
    }
    return a.positional().get(0);
  }

  private static void noPositional(CliArguments a) {
    if (!a.positional().isEmpty()) {
      throw new CliException("unexpected argument '" + a.positional().get(0) + "'");
    }
  }
}
