package io.recap.orchestrator.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.recap.core.domain.ImageRef;
import io.recap.core.kafka.KafkaAcls;
import io.recap.core.messages.CorpusIngestBatch;
import io.recap.core.messages.MessageCodec;
import io.recap.core.messages.Topics;
import io.recap.orchestrator.TrainingOrchestratorApplication;
import io.recap.orchestrator.catalog.CatalogService;
import io.recap.orchestrator.metrics.OrchestratorMetrics;
import io.recap.orchestrator.trainer.TrainerMain;
import io.recap.testsupport.TestBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The orchestrator and the trainer on a broker that authenticates (SASL/SCRAM) and allows only
 * {@link KafkaAcls}: each authenticates from the platform's {@code KAFKA_SASL_*} variables, and what they need is
 * granted (the orchestrator creates the topics, consumes in its groups, dead-letters; the trainer reports).
 */
class KafkaAclsOrchestratorTests {

    private static final MessageCodec CODEC = new MessageCodec();
    private static final Map<String, String> PASSWORDS = Map.of(KafkaAcls.ORCHESTRATOR, "orchestrator-password",
            KafkaAcls.TRAINER, "trainer-password", KafkaAcls.INGEST, "ingest-password");

    @TempDir
    static Path dataDir;

    private static TestBroker broker;
    private static ConfigurableApplicationContext context;

    @BeforeAll
    static void start() {
        broker = TestBroker.secured(dataDir.resolve("kafka"), 1, PASSWORDS);
        // No topic exists yet: the orchestrator creates them, as it does on a fresh cluster.
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--management.server.port=0",
                "--recap.security.enabled=false",
                "--recap.data-dir=" + dataDir,
                "--recap.orchestrator.topic-partitions=1",
                "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers()));
        args.addAll(broker.serviceArgs(KafkaAcls.ORCHESTRATOR));
        context = new SpringApplicationBuilder(TrainingOrchestratorApplication.class).run(args.toArray(String[]::new));
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void anIngestBatchPublishedByTheIngestPrincipalReachesTheCatalog() throws Exception {
        CatalogService catalog = context.getBean(CatalogService.class);
        CorpusIngestBatch batch = new CorpusIngestBatch("acl-corpus", "b1", List.of(
                new CorpusIngestBatch.Item("a-1", ImageRef.ofUri("file:/data/a-1.png"), "a red circle"),
                new CorpusIngestBatch.Item("a-2", ImageRef.ofUri("file:/data/a-2.png"), "")));

        send(KafkaAcls.INGEST, Topics.CORPUS_INGEST, batch.key(), CODEC.encode(batch));

        await().atMost(Duration.ofSeconds(60)).until(() -> catalog.corpusExists("acl-corpus"));
        assertThat(catalog.corpus("acl-corpus").imageCount()).isEqualTo(2);
    }

    @Test
    void aRecordTheOrchestratorCannotReadIsDeadLetteredUnderItsAcls() throws Exception {
        send(KafkaAcls.INGEST, Topics.CORPUS_INGEST, "acl-poison", "not json".getBytes(StandardCharsets.UTF_8));

        // Read back as the super user: no service principal reads the orchestrator's dead letters.
        assertThat(await().atMost(Duration.ofSeconds(60)).until(() -> keys(Topics.CORPUS_INGEST_DLQ),
                keys -> keys.contains("acl-poison"))).contains("acl-poison");
    }

    @Test
    void aTrainerReportsAsTheTrainerPrincipalAndTheOrchestratorReceivesIt() {
        OrchestratorMetrics metrics = context.getBean(OrchestratorMetrics.class);
        double unknownBefore = metrics.messageCount(Topics.TRAINING_EVENTS, "unknown_job");
        Map<String, String> env = new HashMap<>();
        // No RECAP_JOB_KIND: the trainer refuses its environment and reports the job FAILED, its one event.
        env.put("RECAP_JOB_ID", "jacl");
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
        env.put("KAFKA_SASL_USERNAME", KafkaAcls.TRAINER);
        env.put("KAFKA_SASL_PASSWORD", PASSWORDS.get(KafkaAcls.TRAINER));

        assertThat(TrainerMain.run(env)).isEqualTo(TrainerMain.EXIT_INVALID_ENVIRONMENT);

        await().atMost(Duration.ofSeconds(60)).until(() ->
                metrics.messageCount(Topics.TRAINING_EVENTS, "unknown_job") > unknownBefore);
    }

    private static void send(String principal, String topic, String key, byte[] value) throws Exception {
        Map<String, Object> config = new HashMap<>(broker.clientConfig(principal));
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        // The orchestrator creates the topics while it starts; until then the producer waits for them.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(60, TimeUnit.SECONDS);
        }
    }

    private static List<String> keys(String topic) {
        Map<String, Object> config = new HashMap<>(broker.adminConfig());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        List<String> keys = new ArrayList<>();
        try (Admin admin = Admin.create(broker.adminConfig());
                KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            if (!admin.listTopics().names().get().contains(topic)) {
                return keys;
            }
            List<org.apache.kafka.common.TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(2))) {
                keys.add(record.key());
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return keys;
    }
}
