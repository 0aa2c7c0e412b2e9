package io.recap.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.recap.core.domain.ModelRef;
import io.recap.core.messages.Topics;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 18, external producers: a system that knows only {@code docs/schemas/} publishes a corpus to
 * {@code recap.corpus.ingest} with a plain {@code kafka-clients} producer, JSON built from maps by its own
 * plain Jackson mapper, none of the platform's classes (the {@link Topics} constants and {@link RecapPlatform}
 * are only the test's harness). The real orchestrator catalogues it, a RELABEL job captions it with real relabel
 * workers, and a plain consumer reads the captions back from the result topic, as the result schema says.
 */
@PlatformBroker
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExternalProducerIngestTests {

    private static final String CORPUS = "street-photos";
    /** The external system's own JSON library, configured by nobody on the platform. */
    private static final JsonMapper JSON = JsonMapper.builder().build();

    RecapPlatform platform;
    ModelRef captioner;
    /** imageId → alt-text of the valid items the producer sent, in the order sent. */
    final Map<String, String> sent = new LinkedHashMap<>();

    @BeforeAll
    void startPlatform(EmbeddedKafkaBroker broker, @TempDir Path tempDir) throws Exception {
        platform = new RecapPlatform(broker.getBrokersAsString(), tempDir);
        platform.startOrchestrator();
        captioner = platform.publishTinyCaptioner("ext-tiny", "v1", 7);
        platform.startWorker();
    }

    @AfterAll
    void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void aCorpusPublishedByAPlainKafkaProducerIsCatalogued() throws Exception {
        Path photos = Files.createDirectories(platform.imageRoot().resolve(CORPUS));
        for (int i = 0; i < 4; i++) {
            Files.write(photos.resolve("IMG_" + i + ".png"), png(100, 100, new Color(60 * i, 200 - 40 * i, 90)));
        }
        // Both file: forms the schema allows: relative to the consumer's allowed roots, and absolute.
        List<Map<String, Object>> first = List.of(
                item("IMG_0.png", Map.of("uri", "file:" + CORPUS + "/IMG_0.png"), "a green square"),
                item("IMG_1.png", Map.of("uri", photos.resolve("IMG_1.png").toUri().toString()), ""));
        List<Map<String, Object>> second = List.of(
                item("IMG_2.png", Map.of("uri", "file:" + CORPUS + "/IMG_2.png"), "alt-text with \"quotes\" and ü"),
                item("IMG_3.png", Map.of("uri", "file:" + CORPUS + "/IMG_3.png"), "a dusk-coloured square"),
                // Sent inline: the catalog writes it where the workers may read images (the first allowed image root).
                item("inline-dot", Map.of("inlineBase64", Base64.getEncoder().encodeToString(png(40, 40, Color.BLUE))),
                        "a blue dot sent inline"));
        for (Map<String, Object> item : concat(first, second)) {
            sent.put((String) item.get("imageId"), (String) item.get("altText"));
        }
        // Breaks the schema (an image reference with both uri and inlineBase64): refused, and the rest goes on.
        Map<String, Object> broken = batch("b-broken", List.of(item("IMG_9.png",
                Map.of("uri", "file:" + CORPUS + "/IMG_9.png",
                        "inlineBase64", Base64.getEncoder().encodeToString(png(8, 8, Color.RED))), "")));

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.brokers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            for (Map<String, Object> batch : List.of(batch("b-0001", first), broken, batch("b-0002", second))) {
                // The key is the corpusId, as docs/schemas/README.md says: one corpus's batches stay in order.
                producer.send(new ProducerRecord<>("recap.corpus.ingest", CORPUS, JSON.writeValueAsString(batch))).get();
            }
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> platform.get("/corpora/" + CORPUS).statusCode() == 200
                && platform.getJson("/corpora/" + CORPUS).get("imageCount").asLong() == sent.size());
        await().atMost(Duration.ofSeconds(20)).until(() -> malformedIngests() >= 1);
        JsonNode corpus = platform.getJson("/corpora/" + CORPUS);
        assertThat(corpus.get("corpusId").asString()).isEqualTo(CORPUS);
        assertThat(corpus.get("batchCount").asLong()).as("the broken batch is not counted").isEqualTo(2);
        assertThat(corpus.get("imageCount").asLong()).isEqualTo(sent.size());
        assertThat(malformedIngests()).isEqualTo(1);
    }

    @Test
    @Order(2)
    void aRelabelJobCaptionsTheExternallyProducedCorpus() throws Exception {
        String jobId = platform.submit("{\"kind\":\"RELABEL\",\"spec\":{\"corpusId\":\"" + CORPUS
                + "\",\"captioner\":\"" + captioner + "\",\"styles\":[\"SHORT\",\"LONG\"]}}");
        JsonNode job = platform.awaitTerminal(jobId, Duration.ofMinutes(2));

        assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("progress").get("done").asLong()).isEqualTo(sent.size());
        // Every image is captioned, the inline one too: the images are valid PNGs the workers may read, so a failure is a
        // bug.
        JsonNode captions = platform.getJson("/corpora/" + CORPUS).get("captions").get(captioner.toString());
        assertThat(captions.get("SHORT").asLong()).isEqualTo(sent.size());
        assertThat(captions.get("LONG").asLong()).isEqualTo(sent.size());
        assertThat(platform.getJson("/corpora/" + CORPUS).path("relabelFailures").path(captioner.toString()).asLong(0))
                .isZero();

        // The catalogue kept each image's alt-text as sent (empty, quotes and non-ASCII included) next to its captions.
        HttpResponse<String> snapshot = platform.post("/corpora/" + CORPUS + "/snapshots?captioner=" + captioner, null);
        assertThat(snapshot.statusCode()).as(snapshot.body()).isEqualTo(201);
        Path shard = platform.store().resolve("snapshots").resolve(RecapPlatform.json(snapshot).get("snapshotId").asString())
                .resolve("part-0000.jsonl");
        Map<String, String> altTexts = new LinkedHashMap<>();
        for (String line : Files.readAllLines(shard)) {
            JsonNode record = JSON.readTree(line);
            altTexts.put(record.get("imageId").asString(), record.get("altText").asString());
            assertThat(record.get("captions").propertyNames()).as(line).containsExactlyInAnyOrder("SHORT", "LONG");
        }
        assertThat(altTexts).containsExactlyInAnyOrderEntriesOf(sent);
    }

    @Test
    @Order(3)
    void aPlainConsumerReadsTheCaptionsFromTheResultTopicAsTheSchemaDescribesThem() throws Exception {
        Map<String, JsonNode> results = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.brokers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor("recap.relabel.results").forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (results.size() < sent.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode value = JSON.readTree(record.value());
                    // Keyed by imageId, as the README's table says.
                    assertThat(record.key()).isEqualTo(value.get("imageId").asString());
                    results.put(record.key(), value);
                }
            }
        }

        assertThat(results.keySet()).containsExactlyInAnyOrderElementsOf(sent.keySet());
        for (JsonNode result : results.values()) {
            assertThat(result.get("schemaVersion").asInt()).isEqualTo(1);
            assertThat(result.get("corpusId").asString()).isEqualTo(CORPUS);
            assertThat(result.at("/captioner/kind").asString()).isEqualTo("CAPTIONER");
            assertThat(result.at("/captioner/name").asString() + "/" + result.at("/captioner/version").asString())
                    .isEqualTo("ext-tiny/v1");
            assertThat(result.has("error")).as(result.toString()).isFalse();
            assertThat(result.get("captions").propertyNames()).containsExactlyInAnyOrder("SHORT", "LONG");
            assertThat(result.at("/captions/SHORT").asString()).isNotBlank();
            assertThat(result.at("/captions/LONG").asString()).isNotBlank();
        }
    }

    // ------------------------------------------------------------------ helpers

    private static Map<String, Object> item(String imageId, Map<String, String> image, String altText) {
        return Map.of("imageId", imageId, "image", image, "altText", altText);
    }

    private static List<Map<String, Object>> concat(List<Map<String, Object>> a, List<Map<String, Object>> b) {
        List<Map<String, Object>> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static Map<String, Object> batch(String batchId, List<Map<String, Object>> items) {
        return Map.of("schemaVersion", 1, "corpusId", CORPUS, "batchId", batchId, "items", items);
    }

    private long malformedIngests() {
        var counter = platform.orchestrator().getBean(MeterRegistry.class).find("recap.orchestrator.messages")
                .tag("topic", Topics.CORPUS_INGEST).tag("outcome", "malformed").counter();
        return counter == null ? 0 : (long) counter.count();
    }

    /** A real PNG: a filled square with a darker disc, so the captioner sees an ordinary image. */
    private static byte[] png(int width, int height, Color colour) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, width, height);
        g.setColor(colour.darker());
        g.fillOval(width / 4, height / 4, width / 2, height / 2);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
