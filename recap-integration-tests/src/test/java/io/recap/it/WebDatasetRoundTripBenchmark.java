package io.recap.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.recap.core.domain.ModelRef;
import io.recap.core.model.ModelStore;
import io.recap.ml.captioner.CaptionerModel;
import io.recap.ml.captioner.DecodingOptions;
import io.recap.orchestrator.export.ExportCli;
import io.recap.service.security.TestApiKeys;
import io.recap.shapes.render.SceneRenderer;
import io.recap.shapes.scene.Scene;
import io.recap.shapes.scene.SceneGenerator;
import io.recap.shapes.text.CaptionWriter;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import tools.jackson.databind.JsonNode;

/**
 * A WebDataset corpus in and out, end to end: {@code recap.bench.images} (10,000) ShapesWorld scenes as PNG samples
 * in shards of 1,000 (as img2dataset writes them: {@code key.png}, {@code key.txt}, {@code key.json}) are ingested
 * by {@code POST /corpora/{id}/ingest}, relabelled in both styles by ONE worker (its defaults) with the shipped
 * captioner base, and exported by {@link ExportCli} as WebDataset shards with the new captions; each stage timed,
 * beside the same captioner's offline batched rate on the first 512 images (the relabel benchmark's measure).
 * Skipped by default (tag {@code benchmark}):
 * {@code mvn -pl recap-integration-tests test -Dtest=WebDatasetRoundTripBenchmark -Drecap.excluded.groups=none}.
 */
@Tag("benchmark")
@PlatformBroker
class WebDatasetRoundTripBenchmark {

    private static final int SHARD = 1000;
    private static final int BATCH = 32;

    @Test
    void aWebDatasetCorpusGoesInIsCaptionedAndComesOutAsShards(EmbeddedKafkaBroker broker, @TempDir Path temp)
            throws Exception {
        int images = Integer.getInteger("recap.bench.images", 10_000);
        try (RecapPlatform platform = new RecapPlatform(broker.getBrokersAsString(), temp)) {
            platform.startOrchestrator();
            ModelRef captioner = platform.publishShippedCaptioner();
            platform.startWorker();
            Path corpusDir = platform.imageRoot().resolve("wds");
            long begin = System.nanoTime();
            List<BufferedImage> first = write(corpusDir, images);
            double writeSeconds = seconds(begin);

            double offline;
            try (CaptionerModel model = CaptionerModel.load(new ModelStore(platform.store()).directory(captioner))) {
                offline = offline(model, first);
            }

            begin = System.nanoTime();
            assertThat(platform.post("/corpora/wds/ingest", "{\"manifestDir\":\"wds\",\"format\":\"webdataset\"}")
                    .statusCode()).isEqualTo(202);
            while (platform.get("/corpora/wds").statusCode() != 200
                    || platform.getJson("/corpora/wds").get("imageCount").asInt() < images) {
                Thread.sleep(50);
            }
            double ingestSeconds = seconds(begin);

            String jobId = platform.submit("{\"kind\":\"RELABEL\",\"spec\":{\"corpusId\":\"wds\",\"captioner\":\""
                    + captioner + "\"}}");
            JsonNode job = platform.awaitTerminal(jobId, Duration.ofMinutes(60));
            assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
            double relabelSeconds = Duration.between(Instant.parse(job.get("createdAt").asString()),
                    Instant.parse(job.get("finishedAt").asString())).toNanos() / 1e9;
            long captioned = platform.getJson("/corpora/wds").get("captions").get(captioner.toString())
                    .get("LONG").asLong();

            Path out = temp.resolve("export");
            Path key = Files.writeString(temp.resolve("operator.key"), TestApiKeys.OPERATOR);
            begin = System.nanoTime();
            assertThat(ExportCli.run("--url", platform.uri("").toString(), "--api-key-file", key.toString(),
                    "--corpus", "wds", "--captioner",
                    captioner.toString(), "--format", "webdataset", "--out", out.toString(),
                    "--page-size", Integer.toString(SHARD))).isZero();
            double exportSeconds = seconds(begin);
            JsonNode report = RecapPlatform.json(platform.get("/corpora/wds")); // the catalog is unchanged by export
            long exported;
            try (Stream<Path> shards = Files.list(out)) {
                exported = shards.filter(p -> p.toString().endsWith(".tar")).count();
            }
            long exportedImages = tools.jackson.databind.json.JsonMapper.builder().build()
                    .readTree(Files.readAllBytes(out.resolve(ExportCli.REPORT_FILE))).get("exported").asLong();
            assertThat(exportedImages).isEqualTo(captioned);
            assertThat(report.get("imageCount").asInt()).isEqualTo(images);

            double total = ingestSeconds + relabelSeconds + exportSeconds;
            System.out.printf(Locale.ROOT, "%n%d images (64x64 PNG, %d shards written in %.1f s), captioner %s, "
                    + "one worker%n", images, (images + SHARD - 1) / SHARD, writeSeconds, captioner);
            System.out.printf(Locale.ROOT, "offline batched captioning, both styles: %8.1f images/s%n", offline);
            System.out.printf(Locale.ROOT, "ingest (REST -> catalogued):        %6.1f s  %8.1f images/s%n",
                    ingestSeconds, images / ingestSeconds);
            System.out.printf(Locale.ROOT, "relabel (job, both styles):         %6.1f s  %8.1f images/s (%.2f x offline;"
                    + " %d captioned)%n", relabelSeconds, images / relabelSeconds, images / relabelSeconds / offline,
                    captioned);
            System.out.printf(Locale.ROOT, "export (CLI, %d shards):            %6.1f s  %8.1f images/s%n", exported,
                    exportSeconds, images / exportSeconds);
            System.out.printf(Locale.ROOT, "ingest + relabel + export:          %6.1f s  %8.1f images/s%n", total,
                    images / total);
        }
    }

    /** Writes the shards; returns the first 512 images for the offline measure. */
    private static List<BufferedImage> write(Path dir, int images) throws Exception {
        Files.createDirectories(dir);
        List<BufferedImage> first = new ArrayList<>();
        for (int shard = 0; shard * SHARD < images; shard++) {
            try (OutputStream file = Files.newOutputStream(dir.resolve(String.format("%05d.tar", shard)));
                    TarArchiveOutputStream tar = new TarArchiveOutputStream(file)) {
                for (int i = shard * SHARD; i < Math.min(images, (shard + 1) * SHARD); i++) {
                    Scene scene = SceneGenerator.generate(4242, i);
                    BufferedImage image = SceneRenderer.render(scene, SceneRenderer.DEFAULT_SIZE);
                    if (first.size() < 512) {
                        first.add(image);
                    }
                    ByteArrayOutputStream png = new ByteArrayOutputStream();
                    ImageIO.write(image, "png", png);
                    String key = String.format("%09d", i);
                    String alt = CaptionWriter.captions(scene, SceneGenerator.sceneSeed(4242, i)).altText();
                    TarFiles.put(tar, key + ".png", png.toByteArray());
                    TarFiles.put(tar, key + ".txt", alt.getBytes(StandardCharsets.UTF_8));
                    TarFiles.put(tar, key + ".json", ("{\"key\":\"" + key + "\"}").getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        return first;
    }

    private static double offline(CaptionerModel model, List<BufferedImage> pixels) {
        model.caption(pixels.subList(0, BATCH), "short", DecodingOptions.greedy());
        long begin = System.nanoTime();
        for (String style : List.of("short", "long")) {
            for (int from = 0; from < pixels.size(); from += BATCH) {
                model.caption(pixels.subList(from, Math.min(pixels.size(), from + BATCH)), style,
                        DecodingOptions.greedy());
            }
        }
        return pixels.size() / seconds(begin);
    }

    private static double seconds(long begin) {
        return (System.nanoTime() - begin) / 1e9;
    }
}
