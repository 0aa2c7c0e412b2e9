package io.recap.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelManifest;
import io.recap.core.domain.ModelRef;
import io.recap.core.model.ModelStore;
import io.recap.ml.captioner.CaptionerConfig;
import io.recap.ml.captioner.CaptionerModel;
import io.recap.ml.captioner.DecodingOptions;
import io.recap.ml.text.Vocabulary;
import io.recap.shapes.corpus.CorpusConfig;
import io.recap.shapes.corpus.CorpusEntry;
import io.recap.shapes.corpus.CorpusGenerator;
import io.recap.shapes.corpus.CorpusManifest;
import io.recap.shapes.text.AltTextConfig;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import tools.jackson.databind.JsonNode;

/**
 * Relabel throughput end to end through Kafka with one worker (or {@code recap.bench.workers}), against the same captioner's offline batched
 * throughput on this machine: same model, same images, both styles, greedy decoding in batches of 32.
 * Skipped by default (tag {@code benchmark}); run with
 * {@code mvn -pl recap-integration-tests test -Dtest=RelabelThroughputBenchmark -Drecap.excluded.groups=none}.
 *
 * <p>System properties: {@code recap.bench.images} (256), {@code recap.bench.config} (small | smoke | defaults:
 * an untrained captioner of that architecture with a ShapesWorld vocabulary), {@code recap.bench.maxTokens} (24:
 * the untrained captioner's sequence cap, a trained one's typical caption length), {@code recap.bench.model} (the
 * directory of a saved captioner instead, e.g. a fine-tuned one), {@code recap.bench.rounds} (3: end-to-end runs,
 * each on a fresh corpus; offline is measured before the first and after each, and each run compared with the
 * offline runs around it, since the machine's load drifts); {@code recap.bench.workerArgs} (extra command-line
 * arguments for the worker, space-separated, e.g.
 * {@code --spring.cloud.stream.bindings.relabel-in-0.consumer.concurrency=2}); {@code recap.bench.workers} (1: workers
 * started in this JVM, one consumer group over the topic's 4 partitions).
 *
 * <p>Offline: images decoded into memory first, then only {@code caption(...)} is timed. End to end: from
 * {@code POST /jobs} until the job is SUCCEEDED, with everything in between (scheduling, publishing,
 * Kafka, PNG reads and validation in the worker, result messages, catalog writes, completion polling); the
 * worker has relabelled a warm-up corpus of the same size with the same captioner first (and the offline path
 * captioned it too), so the model is loaded and both paths are warm.
 */
@Tag("benchmark")
@PlatformBroker
class RelabelThroughputBenchmark {

    private static final int BATCH = 32;

    @Test
    void endToEndThroughputOfTheWorkersAgainstOfflineBatchedCaptioning(EmbeddedKafkaBroker broker,
            @TempDir Path tempDir) throws Exception {
        int images = Integer.getInteger("recap.bench.images", 256);
        int rounds = Integer.getInteger("recap.bench.rounds", 3);
        String modelDir = System.getProperty("recap.bench.model");
        String configName = System.getProperty("recap.bench.config", "small");
        int workerCount = Integer.getInteger("recap.bench.workers", 1);

        try (RecapPlatform platform = new RecapPlatform(broker.getBrokersAsString(), tempDir)) {
            CaptionerConfig config = modelDir != null ? configOf(Path.of(modelDir)) : switch (configName) {
                case "smoke" -> CaptionerConfig.smoke();
                case "defaults" -> CaptionerConfig.defaults();
                default -> CaptionerConfig.small();
            };
            if (modelDir == null) {
                // An untrained decoder rarely says <eos>: cap its sequences at a trained captioner's typical length.
                int maxTokens = Integer.getInteger("recap.bench.maxTokens", 24);
                config = new CaptionerConfig(config.imageSize(), config.gridSize(), config.encoderChannels(),
                        config.width(), config.layers(), config.heads(), config.dropout(), maxTokens);
            }
            int size = config.imageSize();
            List<Path> corpora = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                corpora.add(generate(platform.imageRoot().resolve("bench-" + round), images, 100 + round, size));
            }
            Path warmup = generate(platform.imageRoot().resolve("warmup"), images, 99, size);
            ModelRef captioner = modelDir != null ? copyCaptioner(platform, Path.of(modelDir))
                    : platform.publishCaptioner("bench-" + configName, "v1", config, vocabulary(corpora.get(0)), 7);
            String label = modelDir != null ? "saved captioner " + modelDir : "untrained '" + configName + "' captioner";

            platform.startOrchestrator("--recap.orchestrator.relabel.batch-size=" + BATCH);
            List<String> workerArgs = new ArrayList<>(List.of("--recap.relabel.inference-batch-size=" + BATCH,
                    "--recap.relabel.beam-size=1"));
            for (String extra : System.getProperty("recap.bench.workerArgs", "").trim().split("\\s+")) {
                if (!extra.isBlank()) {
                    workerArgs.add(extra);
                }
            }
            for (int w = 0; w < workerCount; w++) {
                platform.startWorker(workerArgs.toArray(String[]::new));
            }
            for (int round = 0; round < rounds; round++) {
                ingest(platform, "bench-" + round, corpora.get(round), images);
            }
            ingest(platform, "warmup", warmup, images);

            List<Double> offline = new ArrayList<>();
            List<Double> endToEnd = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            List<Timer> batches = platform.workers().stream()
                    .map(worker -> worker.getBean(MeterRegistry.class).timer("recap.relabel.batch.latency")).toList();
            double captioningSeconds = 0;
            double endToEndSeconds = 0;
            long mismatches = 0;
            try (CaptionerModel model = CaptionerModel.load(new ModelStore(platform.store()).directory(captioner))) {
                // Warm-up, untimed and alike for both paths: the first run of each is slower (JIT, allocator).
                relabel(platform, "warmup", captioner, images);
                offline(model, warmup);
                offline.add(offline(model, corpora.get(0)).rate());
                Map<String, Long> cpuBefore = threadCpu();
                for (int round = 0; round < rounds; round++) {
                    double inWorker = totalSeconds(batches);
                    double rate = relabel(platform, "bench-" + round, captioner, images);
                    endToEnd.add(rate);
                    double captioning = totalSeconds(batches) - inWorker;
                    captioningSeconds += captioning;
                    endToEndSeconds += images / rate;
                    System.out.printf(Locale.ROOT, "  workers busy reading and captioning for %.1f s "
                            + "(recap.relabel.batch.latency, summed over their consumer threads)%n", captioning);
                    Offline same = offline(model, corpora.get(round));
                    offline.add(same.rate());
                    // Same model, same images, greedy: the worker must have written exactly the offline captions
                    // (an empty one is the worker's EMPTY_CAPTION error).
                    Map<String, String> relabelled = catalogued(platform, "bench-" + round);
                    long differing = same.captions().entrySet().stream()
                            .filter(e -> !e.getValue().isBlank() || relabelled.containsKey(e.getKey()))
                            .filter(e -> !e.getValue().equals(relabelled.get(e.getKey()))).count();
                    System.out.printf(Locale.ROOT, "  captions identical to offline: %d of %d%n",
                            same.captions().size() - differing, same.captions().size());
                    mismatches += differing;
                    // Against the offline runs just before and after: the machine's load drifts.
                    ratios.add(rate / ((offline.get(round) + offline.get(round + 1)) / 2));
                }
                printCpuByThread(cpuBefore, threadCpu());
            }
            double offlineMean = offline.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            double endToEndMean = endToEnd.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            List<Double> sorted = ratios.stream().sorted().toList();
            double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                    : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
            System.out.printf(Locale.ROOT, "%n=== relabel throughput, %s (%s), %d images of %dx%d per run, both styles, "
                            + "greedy, batches of %d, %d CPU cores, load average %.1f ===%n", label, config, images, size,
                    size, BATCH, Runtime.getRuntime().availableProcessors(),
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            System.out.printf(Locale.ROOT, "offline batched, images/s:        %s -> mean %.1f%n", format(offline),
                    offlineMean);
            System.out.printf(Locale.ROOT, "through Kafka, %d worker(s), images/s: %s -> mean %.1f%n", workerCount,
                    format(endToEnd), endToEndMean);
            System.out.printf(Locale.ROOT, "ratio per run (vs the offline runs around it): %s -> median %.2f; "
                    + "ratio of means %.2f%n", ratios.stream().map(r -> String.format(Locale.ROOT, "%.2f", r)).toList(),
                    median, endToEndMean / offlineMean);
            System.out.printf(Locale.ROOT, "workers busy reading and captioning (sum over their consumer threads) / "
                    + "end-to-end time: %.2f%n%n", captioningSeconds / endToEndSeconds);
            assertThat(mismatches).as("captions differing from offline").isZero();
        }
    }

    private static double totalSeconds(List<Timer> timers) {
        return timers.stream().mapToDouble(timer -> timer.totalTime(TimeUnit.SECONDS)).sum();
    }

    /** Offline throughput of one corpus and the captions it produced ({@code imageId/STYLE} to text). */
    private record Offline(double rate, Map<String, String> captions) {
    }

    /** Images/s of captioning the corpus in both styles, in batches of 32, the images already decoded. */
    private static Offline offline(CaptionerModel model, Path corpus) throws Exception {
        CorpusManifest manifest = CorpusManifest.read(corpus);
        List<BufferedImage> pixels = new ArrayList<>();
        for (CorpusEntry entry : manifest.entries()) {
            pixels.add(manifest.image(entry));
        }
        model.caption(pixels.subList(0, BATCH), "short", DecodingOptions.greedy()); // warm-up
        Map<String, String> captions = new java.util.HashMap<>();
        long start = System.nanoTime();
        for (String style : List.of("short", "long")) {
            for (int from = 0; from < pixels.size(); from += BATCH) {
                var generated = model.caption(pixels.subList(from, Math.min(pixels.size(), from + BATCH)), style,
                        DecodingOptions.greedy());
                for (int i = 0; i < generated.size(); i++) {
                    captions.put(manifest.entries().get(from + i).id() + "/" + style.toUpperCase(Locale.ROOT),
                            generated.get(i).text());
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "offline: %d images x 2 styles in %.1f s%n", pixels.size(), seconds);
        return new Offline(pixels.size() / seconds, captions);
    }

    /** Captions the catalog holds for a corpus ({@code imageId/STYLE} to text), failures as empty text. */
    private static Map<String, String> catalogued(RecapPlatform platform, String corpus) {
        JdbcClient db = platform.orchestrator().getBean(JdbcClient.class);
        Map<String, String> captions = new java.util.HashMap<>();
        db.sql("SELECT image_id, style, caption FROM captions WHERE corpus_id = ?").param(corpus)
                .query((rs, i) -> captions.put(rs.getString("image_id") + "/" + rs.getString("style"),
                        rs.getString("caption"))).list();
        db.sql("SELECT image_id FROM relabel_failures WHERE corpus_id = ? AND code = 'EMPTY_CAPTION'").param(corpus)
                .query(String.class).list().forEach(id -> {
                    captions.putIfAbsent(id + "/SHORT", "");
                    captions.putIfAbsent(id + "/LONG", "");
                });
        return captions;
    }

    /** Images/s of a RELABEL job from {@code POST /jobs} to SUCCEEDED. */
    private static double relabel(RecapPlatform platform, String corpus, ModelRef captioner, int images) throws Exception {
        String jobId = platform.submit("{\"kind\":\"RELABEL\",\"spec\":{\"corpusId\":\"" + corpus + "\",\"captioner\":\""
                + captioner + "\"}}");
        JsonNode job = platform.awaitTerminal(jobId, Duration.ofMinutes(30));
        // The orchestrator's own clock: submission (createdAt) to the end of the job, whatever the polling here.
        double seconds = Duration.between(Instant.parse(job.get("createdAt").asString()),
                Instant.parse(job.get("finishedAt").asString())).toNanos() / 1e9;
        assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("progress").get("done").asLong()).isEqualTo(images);
        System.out.printf(Locale.ROOT, "through Kafka: corpus %s, %d images x 2 styles in %.1f s (job submitted %s, "
                + "finished %s)%n", corpus, images, seconds, job.get("createdAt").asString(), job.get("finishedAt").asString());
        return images / seconds;
    }

    private static void ingest(RecapPlatform platform, String corpus, Path dir, int images) throws Exception {
        assertThat(platform.post("/corpora/" + corpus + "/ingest", "{\"manifestDir\":\"" + dir + "\"}").statusCode())
                .isEqualTo(202);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (platform.get("/corpora/" + corpus).statusCode() != 200
                || platform.getJson("/corpora/" + corpus).get("imageCount").asLong() < images) {
            assertThat(System.nanoTime()).as("corpus " + corpus + " catalogued").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static Path generate(Path dir, int count, long seed, int size) throws Exception {
        int human = Math.min(100, count);
        CorpusGenerator.generate(new CorpusConfig(dir, count, seed, size, human, 0, AltTextConfig.defaults()),
                line -> { });
        return dir;
    }

    /** A ShapesWorld vocabulary: the human SHORT and LONG captions of the corpus. */
    private static Vocabulary vocabulary(Path corpus) throws Exception {
        List<String> captions = new ArrayList<>();
        for (CorpusEntry entry : CorpusManifest.read(corpus).entries()) {
            captions.add(entry.captions().shortCaption());
            captions.add(entry.captions().longCaption());
        }
        return Vocabulary.build(captions, List.of("short", "long"), 1);
    }

    private static ModelRef copyCaptioner(RecapPlatform platform, Path source) throws Exception {
        ModelRef ref = ModelRef.captioner("bench-saved", "v1");
        new ModelStore(platform.store()).publish(new ModelManifest(ModelKind.CAPTIONER, ref.name(), ref.version(),
                "copy of " + source, Map.of(), ModelManifest.Lineage.NONE, Map.of(), Instant.now()), target -> {
                    try (Stream<Path> files = Files.list(source)) {
                        for (Path file : files.filter(f -> !f.getFileName().toString().equals("manifest.json")).toList()) {
                            Files.copy(file, target.resolve(file.getFileName()));
                        }
                    }
                });
        return ref;
    }

    /** CPU time (ns) of every live thread, by id. */
    private static Map<String, Long> threadCpu() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<String, Long> cpu = new java.util.HashMap<>();
        for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null) {
                long time = threads.getThreadCpuTime(info.getThreadId());
                if (time > 0) {
                    cpu.put(info.getThreadId() + "|" + info.getThreadName(), time);
                }
            }
        }
        return cpu;
    }

    /** Where the JVM's CPU went during the measured runs (offline ones included), by thread name family. */
    private static void printCpuByThread(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> byFamily = new java.util.TreeMap<>();
        after.forEach((key, time) -> {
            String family = key.substring(key.indexOf('|') + 1).replaceAll("[0-9]+", "#");
            byFamily.merge(family, time - before.getOrDefault(key, 0L), Long::sum);
        });
        long total = byFamily.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf(Locale.ROOT, "JVM CPU during the measured runs: %.1f s; by thread:%n", total / 1e9);
        byFamily.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
                .forEach(e -> System.out.printf(Locale.ROOT, "  %6.1f s  %5.1f%%  %s%n", e.getValue() / 1e9,
                        100.0 * e.getValue() / total, e.getKey()));
    }

    private static CaptionerConfig configOf(Path modelDir) throws Exception {
        try (CaptionerModel model = CaptionerModel.load(modelDir)) {
            return model.getConfig();
        }
    }

    private static String format(List<Double> values) {
        return values.stream().map(v -> String.format(Locale.ROOT, "%.1f", v)).toList().toString();
    }
}
