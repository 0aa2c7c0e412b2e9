package io.recap.relabel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.recap.core.domain.CaptionStyle;
import io.recap.core.domain.ImageRef;
import io.recap.core.domain.ModelRef;
import io.recap.core.model.ModelStore;
import io.recap.ml.torchscript.TorchScriptFixtures;
import io.recap.core.messages.RelabelRequest;
import io.recap.core.messages.RelabelResult;
import io.recap.service.security.TestApiKeys;
import io.recap.shapes.render.SceneRenderer;
import io.recap.shapes.scene.SceneGenerator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

/**
 * Real relabel workers (whole Spring Boot apps with the Kafka binder) against a real in-process
 * KRaft broker with 4 partitions.
 */
@SpringJUnitConfig
@EmbeddedKafka(partitions = 4, topics = {"recap.relabel.requests", "recap.relabel.results", "recap.relabel.dlq"})
@DirtiesContext
class RelabelPipelineTests {

    @Autowired
    EmbeddedKafkaBroker broker;

    @TempDir
    Path tempDir;

    RelabelRig rig;

    @BeforeEach
    void setUp() throws Exception {
        rig = new RelabelRig(tempDir, broker.getBrokersAsString());
    }

    @AfterEach
    void tearDown() throws Exception {
        rig.close();
    }

    @Test
    void theConsumerCannotBeStoppedThroughActuatorEvenByAnAdminAndNothingButProbesIsOpen() throws Exception {
        ConfigurableApplicationContext worker = rig.startWorker();
        int management = Integer.parseInt(worker.getEnvironment().getRequiredProperty("local.management.port"));
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.URI bindings = java.net.URI.create("http://127.0.0.1:" + management + "/actuator/bindings/relabel-in-0");

        java.net.http.HttpResponse<String> stop = http.send(TestApiKeys.request(bindings)
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"state\":\"STOPPED\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        java.net.http.HttpResponse<String> read = http.send(TestApiKeys.request(bindings).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        java.net.http.HttpResponse<String> anonymous = http.send(java.net.http.HttpRequest.newBuilder(bindings).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(stop.statusCode()).as(stop.body()).isGreaterThanOrEqualTo(400);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).doesNotContain("\"state\":\"stopped\"");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        List<String> ids = rig.renderImages(5);
        rig.sendInBatches(ids, 5);
        await().atMost(Duration.ofMinutes(1)).until(() -> rig.catalogued().size() == ids.size());
    }

    @Test
    void thousandImagesOverTwoWorkersAreEachCataloguedExactlyOnce() throws Exception {
        List<String> ids = rig.renderImages(1000);
        ConfigurableApplicationContext first = rig.startWorker();
        rig.startWorker();

        int batches = rig.sendInBatches(ids, 25);

        await().atMost(Duration.ofMinutes(4)).until(() -> rig.catalogued().size() == ids.size());
        assertThat(batches).isEqualTo(40);
        assertThat(rig.catalogued()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(rig.catalog.values()).allSatisfy(result -> {
            assertThat(result.captioner()).isEqualTo(rig.captioner);
            if (result.succeeded()) {
                assertThat(result.captions()).containsOnlyKeys(CaptionStyle.SHORT, CaptionStyle.LONG);
            }
        });
        report("two workers", ids.size());

        MeterRegistry meters = first.getBean(MeterRegistry.class);
        assertThat(meters.get("recap.relabel.images").counters()).isNotEmpty();
        assertThat(meters.get("recap.relabel.batch.latency").timer().count()).isPositive();
        // consumer lag, exported by the Kafka binder per group and topic
        assertThat(meters.get("spring.cloud.stream.binder.kafka.offset").gauge()).isNotNull();
    }

    @Test
    void anImportedTorchScriptCaptionerRelabelsThroughTheSamePipeline() throws Exception {
        ModelRef blip = TorchScriptFixtures.publish(new ModelStore(rig.store), TorchScriptFixtures.HF_BLIP,
                ModelRef.captioner("relabel-blip", "v1"));
        List<String> ids = rig.renderImages(30);
        rig.startWorker();

        List<RelabelRequest.Item> items = ids.stream().map(id -> new RelabelRequest.Item(id, rig.refOf(id))).toList();
        rig.send(new RelabelRequest(rig.corpus, "blip-0", items, blip, EnumSet.of(CaptionStyle.SHORT, CaptionStyle.LONG)));

        await().atMost(Duration.ofMinutes(2)).until(() -> rig.catalogued().size() == ids.size());
        assertThat(rig.catalog.values()).allSatisfy(result -> {
            assertThat(result.captioner()).isEqualTo(blip);
            assertThat(result.succeeded()).as(result.toString()).isTrue();
            assertThat(result.captions().get(CaptionStyle.SHORT)).isNotBlank();
            assertThat(result.captions().get(CaptionStyle.LONG)).isNotBlank();
        });
    }

    @Test
    void aWorkerStoppedMidRunHandsItsPartitionsToTheOther() throws Exception {
        List<String> ids = rig.renderImages(800);
        ConfigurableApplicationContext doomed = rig.startWorker();
        rig.startWorker();
        rig.sendInBatches(ids, 20);

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20)).until(() -> rig.catalogued().size() >= 20);
        doomed.close();
        int atStop = rig.catalogued().size();

        await().atMost(Duration.ofMinutes(4)).until(() -> rig.catalogued().size() == ids.size());
        assertThat(atStop).isLessThan(ids.size());
        assertThat(rig.catalogued()).containsExactlyInAnyOrderElementsOf(ids);
        report("worker stopped at " + atStop + " catalogued", ids.size());
    }

    @Test
    void aPoisonBatchGoesToTheDlqWithReasonsAndThePipelineContinues() throws Exception {
        List<String> ids = rig.renderImages(10);
        rig.startWorker();

        rig.sendRaw(rig.corpus + "/poison", "{\"schemaVersion\":1,\"corpusId\":\"shapes-test\",\"items\":".getBytes(StandardCharsets.UTF_8));
        rig.sendInBatches(ids, 10);

        await().atMost(Duration.ofMinutes(2)).until(() -> !rig.deadLetters.isEmpty() && rig.catalogued().size() == 10);
        var dead = rig.deadLetters.get(0);
        assertThat(dead.key()).isEqualTo(rig.corpus + "/poison");
        assertThat(new String(dead.headers().lastHeader("x-exception-message").value(), StandardCharsets.UTF_8))
                .contains("RelabelRequest");
        assertThat(dead.headers().lastHeader("x-original-topic")).isNotNull();
        assertThat(rig.deadLetters).hasSize(1);
    }

    @Test
    void aBatchOverTheWorkersCapIsRefusedWholeToTheDlqAndABatchWithinItIsCaptioned() throws Exception {
        List<String> ids = rig.renderImages(9);
        rig.startWorker("--recap.relabel.max-batch-images=4");

        rig.sendInBatches(ids.subList(0, 5), 5);
        rig.sendInBatches(ids.subList(5, 9), 4);

        await().atMost(Duration.ofMinutes(2)).until(() -> !rig.deadLetters.isEmpty() && rig.catalogued().size() == 4);
        assertThat(new String(rig.deadLetters.get(0).headers().lastHeader("x-exception-message").value(),
                StandardCharsets.UTF_8)).contains("has 5 images", "at most 4");
        assertThat(rig.catalogued()).containsExactlyInAnyOrderElementsOf(ids.subList(5, 9));
    }

    @Test
    void corruptImagesAndPathsOutsideTheRootsBecomePerImageErrors() throws Exception {
        List<String> ids = rig.renderImages(3);
        byte[] png = Files.readAllBytes(rig.imageRoot.resolve("img-0.png"));
        Files.write(rig.imageRoot.resolve("truncated.png"), Arrays.copyOf(png, png.length / 2));
        Path secret = rig.outside.resolve("secret.png");
        SceneRenderer.writePng(SceneRenderer.render(SceneGenerator.generate(1, 1), 32), secret);
        rig.startWorker();

        rig.send(new RelabelRequest(rig.corpus, "mixed", List.of(
                new RelabelRequest.Item("img-0", rig.refOf("img-0")),
                new RelabelRequest.Item("truncated", rig.refOf("truncated")),
                new RelabelRequest.Item("escape", ImageRef.ofUri(rig.imageRoot.toUri() + "../outside/secret.png")),
                new RelabelRequest.Item("absolute", ImageRef.ofUri(secret.toUri().toString())),
                new RelabelRequest.Item("missing", rig.refOf("no-such-image")),
                new RelabelRequest.Item("img-1", rig.refOf("img-1"))),
                rig.captioner, EnumSet.of(CaptionStyle.SHORT, CaptionStyle.LONG)));

        await().atMost(Duration.ofMinutes(2)).until(() -> rig.catalogued().size() == 6);
        Map<String, RelabelResult> byImage = rig.catalog.values().stream()
                .collect(Collectors.toMap(RelabelResult::imageId, Function.identity()));
        assertThat(byImage.get("truncated").error().code()).isEqualTo("TRUNCATED");
        assertThat(byImage.get("escape").error().code()).isEqualTo("OUTSIDE_ALLOWED_ROOTS");
        assertThat(byImage.get("absolute").error().code()).isEqualTo("OUTSIDE_ALLOWED_ROOTS");
        assertThat(byImage.get("missing").error().code()).isEqualTo("NOT_FOUND");
        assertThat(List.of(byImage.get("img-0"), byImage.get("img-1")))
                .allSatisfy(r -> assertThat(r.error() == null || r.error().code().equals("EMPTY_CAPTION")).isTrue());
        assertThat(ids).contains("img-0", "img-1");
    }

    private void report(String scenario, int images) {
        long duplicates = rig.deliveries.size() - rig.catalog.size();
        long failed = rig.catalog.values().stream().filter(r -> !r.succeeded()).count();
        System.out.printf("relabel %s: %d images, %d catalogued, %d failed, %d duplicate deliveries absorbed%n",
                scenario, images, rig.catalog.size(), failed, duplicates);
    }
}
