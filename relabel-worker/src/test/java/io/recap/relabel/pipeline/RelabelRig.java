package io.recap.relabel.pipeline;

import io.recap.core.domain.CaptionStyle;
import io.recap.core.domain.ImageRef;
import io.recap.core.domain.ModelRef;
import io.recap.core.messages.MessageCodec;
import io.recap.core.messages.RelabelRequest;
import io.recap.core.messages.RelabelResult;
import io.recap.relabel.RelabelWorkerApplication;
import io.recap.shapes.render.SceneRenderer;
import io.recap.shapes.scene.SceneGenerator;
import io.recap.service.security.TestApiKeys;
import io.recap.testsupport.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Everything a relabel test needs around real workers: a model store with a captioner, an image
 * root with rendered ShapesWorld scenes, a producer of requests, and a collector that files
 * results the way the catalog does (unique on image, style, captioner version) while counting
 * every delivery, duplicates included.
 */
final class RelabelRig implements AutoCloseable {

    private static final java.util.concurrent.atomic.AtomicInteger RIGS = new java.util.concurrent.atomic.AtomicInteger();
    private static final MessageCodec CODEC = new MessageCodec();

    /** Each rig relabels its own corpus: tests share one broker, so results are told apart by corpus. */
    final String corpus = "shapes-test-" + RIGS.incrementAndGet();
    final Path store;
    final Path imageRoot;
    final Path outside;
    final ModelRef captioner = ModelRef.captioner("relabel-test", "v1");
    final String brokers;
    final Map<String, RelabelResult> catalog = new ConcurrentHashMap<>();
    final List<RelabelResult> deliveries = new CopyOnWriteArrayList<>();
    final List<ConsumerRecord<String, byte[]>> deadLetters = new CopyOnWriteArrayList<>();
    private final List<ConfigurableApplicationContext> workers = new ArrayList<>();
    private final KafkaProducer<String, byte[]> producer;
    private final Map<String, Object> collectorClient;
    private final AtomicBoolean collecting = new AtomicBoolean(true);
    private final Thread collector;

    RelabelRig(Path tempDir, String brokers) throws Exception {
        this(tempDir, brokers, Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers),
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers));
    }

    /**
     * @param brokers what the workers are given
     * @param requesterClient connection (and credentials) of the producer of requests, the orchestrator's part
     * @param collectorClient connection (and credentials) of the consumer of results and dead letters
     */
    RelabelRig(Path tempDir, String brokers, Map<String, Object> requesterClient, Map<String, Object> collectorClient)
            throws Exception {
        this.brokers = brokers;
        this.collectorClient = Map.copyOf(collectorClient);
        this.store = Files.createDirectories(tempDir.resolve("store"));
        this.imageRoot = Files.createDirectories(tempDir.resolve("images"));
        this.outside = Files.createDirectories(tempDir.resolve("outside"));
        // The pipeline, not caption quality, is under test.
        TinyModels.captioner(store, captioner, 11);
        Properties producerProps = new Properties();
        producerProps.putAll(requesterClient);
        producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        this.producer = new KafkaProducer<>(producerProps);
        this.collector = new Thread(this::collect, "result-collector");
        collector.start();
    }

    /** Renders {@code count} scenes into the image root; returns their ids. */
    List<String> renderImages(int count) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = "img-" + i;
            SceneRenderer.writePng(SceneRenderer.render(SceneGenerator.generate(7, i), 32), imageRoot.resolve(id + ".png"));
            ids.add(id);
        }
        return ids;
    }

    ImageRef refOf(String imageId) {
        return ImageRef.ofUri(imageRoot.resolve(imageId + ".png").toUri().toString());
    }

    ConfigurableApplicationContext startWorker(String... extraArgs) {
        // Command-line arguments: they override application.yml, as a deployment's would.
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--management.server.port=0",
                "--recap.security.api-keys=" + TestApiKeys.property(),
                "--spring.cloud.stream.kafka.binder.brokers=" + brokers,
                "--recap.relabel.model-store=" + store,
                "--recap.relabel.allowed-roots=" + imageRoot));
        args.addAll(List.of(extraArgs));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(RelabelWorkerApplication.class)
                .run(args.toArray(String[]::new));
        workers.add(context);
        return context;
    }

    /** Sends the images in batches of {@code batchSize}; returns the number of batches. */
    int sendInBatches(List<String> imageIds, int batchSize) {
        int batches = 0;
        for (int from = 0; from < imageIds.size(); from += batchSize) {
            List<RelabelRequest.Item> items = imageIds.subList(from, Math.min(imageIds.size(), from + batchSize))
                    .stream().map(id -> new RelabelRequest.Item(id, refOf(id))).toList();
            send(new RelabelRequest(corpus, "b" + batches, items, captioner,
                    EnumSet.of(CaptionStyle.SHORT, CaptionStyle.LONG)));
            batches++;
        }
        producer.flush();
        return batches;
    }

    void send(RelabelRequest request) {
        sendRaw(request.key(), CODEC.encode(request));
    }

    void sendRaw(String key, byte[] value) {
        producer.send(new ProducerRecord<>("recap.relabel.requests", key, value));
        producer.flush();
    }

    /** Images filed in the catalog (captioned or failed), each at most once by construction. */
    Set<String> catalogued() {
        return catalog.values().stream().map(RelabelResult::imageId).collect(java.util.stream.Collectors.toSet());
    }

    private void collect() {
        Properties props = new Properties();
        props.putAll(collectorClient);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "catalog-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of("recap.relabel.results", "recap.relabel.dlq"));
            while (collecting.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.topic().equals("recap.relabel.dlq")) {
                        if (record.key() != null && record.key().startsWith(corpus + "/")) {
                            deadLetters.add(record);
                        }
                        continue;
                    }
                    RelabelResult result = CODEC.decode(record.value(), RelabelResult.class);
                    if (!result.corpusId().equals(corpus)) {
                        continue;
                    }
                    deliveries.add(result);
                    // The catalog's unique key: (image, captioner version); styles travel together.
                    catalog.putIfAbsent(result.imageId() + "@" + result.captioner(), result);
                }
            }
        }
    }

    @Override
    public void close() throws Exception {
        workers.forEach(ConfigurableApplicationContext::close);
        collecting.set(false);
        collector.join(5_000);
        producer.close();
    }
}
