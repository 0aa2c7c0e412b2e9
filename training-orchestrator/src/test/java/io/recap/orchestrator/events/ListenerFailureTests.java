package io.recap.orchestrator.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.SQLExceptionOverride;
import io.recap.core.domain.ImageRef;
import io.recap.core.messages.CorpusIngestBatch;
import io.recap.core.messages.MessageCodec;
import io.recap.core.messages.Topics;
import io.recap.orchestrator.TrainingOrchestratorApplication;
import io.recap.orchestrator.catalog.CatalogService;
import io.recap.orchestrator.catalog.CorpusDetails;
import io.recap.orchestrator.metrics.OrchestratorMetrics;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.h2.api.ErrorCode;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * How the orchestrator's listeners fail, on a real broker and a real database: H2 served over TCP from this JVM,
 * so that the test can stop the database server (every pooled connection breaks, new ones are refused) and start
 * it again on the same files, as a database restart or a network partition would look to the service.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
@EmbeddedKafka(partitions = 1, brokerProperties = {"offsets.topic.num.partitions=1", "group.initial.rebalance.delay.ms=0"})
class ListenerFailureTests {

    private static final MessageCodec CODEC = new MessageCodec();

    @TempDir
    static Path dataDir;

    private int databasePort;
    private Server database;
    private ConfigurableApplicationContext context;
    private EmbeddedKafkaBroker broker;

    @BeforeAll
    void start(EmbeddedKafkaBroker broker) throws Exception {
        this.broker = broker;
        try (ServerSocket socket = new ServerSocket(0)) {
            databasePort = socket.getLocalPort();
        }
        database = startDatabase();
        context = new SpringApplicationBuilder(TrainingOrchestratorApplication.class).run(
                "--server.port=0",
                "--management.server.port=0",
                // Nothing here speaks HTTP: Kafka in, beans read.
                "--recap.security.enabled=false",
                "--recap.data-dir=" + dataDir,
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--spring.datasource.url=jdbc:h2:tcp://localhost:" + databasePort
                        + "/orchestrator;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                // While the database is down a connection is refused within a second, not the pool's default 30 s.
                "--spring.datasource.hikari.connection-timeout=1000",
                "--spring.datasource.hikari.validation-timeout=500",
                "--spring.datasource.hikari.exception-override-class-name=" + EvictBrokenH2Connections.class.getName(),
                "--recap.orchestrator.listener-retry-max-interval=500ms",
                "--recap.orchestrator.topic-partitions=1",
                "--recap.scheduling.poll-interval=200ms");
    }

    @AfterAll
    void stop() {
        if (context != null) {
            context.close();
        }
        if (database != null) {
            database.stop();
        }
    }

    @Test
    void anIngestBatchSentWhileTheDatabaseIsDownIsAppliedExactlyOnceWhenItComesBack() throws Exception {
        CatalogService catalog = context.getBean(CatalogService.class);
        OrchestratorMetrics metrics = context.getBean(OrchestratorMetrics.class);
        double acceptedBefore = metrics.messageCount(Topics.CORPUS_INGEST, "accepted");
        double duplicatesBefore = metrics.messageCount(Topics.CORPUS_INGEST, "duplicate");
        double failuresBefore = metrics.messageCount(Topics.CORPUS_INGEST, "failed_delivery");
        CorpusIngestBatch batch = new CorpusIngestBatch("outage", "b1", List.of(
                new CorpusIngestBatch.Item("o-1", ImageRef.ofUri("file:/data/o-1.png"), "sent during the outage"),
                new CorpusIngestBatch.Item("o-2", ImageRef.ofUri("file:/data/o-2.png"), "")));

        database.stop();
        long downSince = System.nanoTime();
        try {
            send(Topics.CORPUS_INGEST, batch.key(), CODEC.encode(batch));
            // The listener really tried it against the stopped database, more often than the three deliveries after
            // which it used to skip a record, and for longer than the few seconds that took.
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> metrics.messageCount(Topics.CORPUS_INGEST, "failed_delivery") - failuresBefore >= 4);
            long downFor = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - downSince);
            Thread.sleep(Math.max(0, 5_000 - downFor));
            assertThat(metrics.messageCount(Topics.CORPUS_INGEST, "accepted")).isEqualTo(acceptedBefore);
        } finally {
            database = startDatabase();
        }

        // Reads ignore errors: the first use of a pooled connection that the stop broke fails before it is evicted.
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> catalog.corpusExists("outage"));
        CorpusDetails corpus = await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> catalog.corpus("outage"), details -> true);
        assertThat(corpus.batchCount()).isEqualTo(1);
        assertThat(corpus.imageCount()).isEqualTo(2);
        // Applied once and not delivered again after it went through.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                metrics.messageCount(Topics.CORPUS_INGEST, "accepted") - acceptedBefore == 1
                        && metrics.messageCount(Topics.CORPUS_INGEST, "duplicate") == duplicatesBefore);
        assertThat(deadLetters(Topics.CORPUS_INGEST_DLQ))
                .noneMatch(record -> "outage".equals(record.key()));
    }

    @Test
    void recordsThatCanNeverBeReadLandOnTheirDeadLetterTopicWithTheReason(CapturedOutput output) throws Exception {
        CatalogService catalog = context.getBean(CatalogService.class);
        OrchestratorMetrics metrics = context.getBean(OrchestratorMetrics.class);
        double ingestMalformedBefore = metrics.messageCount(Topics.CORPUS_INGEST, "malformed");
        double eventsMalformedBefore = metrics.messageCount(Topics.TRAINING_EVENTS, "malformed");
        byte[] notJson = "this is not json".getBytes(StandardCharsets.UTF_8);
        byte[] noTotalSteps = ("{\"schemaVersion\":1,\"jobId\":\"jpoison\",\"attempt\":1,\"type\":\"PROGRESS\","
                + "\"step\":3,\"timestamp\":\"2026-03-04T05:06:07Z\"}").getBytes(StandardCharsets.UTF_8);
        CorpusIngestBatch after = new CorpusIngestBatch("after-poison", "b1", List.of(
                new CorpusIngestBatch.Item("p-1", ImageRef.ofUri("file:/data/p-1.png"), "")));

        send(Topics.CORPUS_INGEST, "poison", notJson);
        send(Topics.TRAINING_EVENTS, "jpoison", noTotalSteps);
        send(Topics.CORPUS_INGEST, after.key(), CODEC.encode(after));

        // Counted once the dead letter is on the broker; the valid batch behind the poison one shows the listener
        // went on past it.
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> catalog.corpusExists("after-poison")
                && metrics.messageCount(Topics.TRAINING_EVENTS, "malformed") > eventsMalformedBefore);
        ConsumerRecord<String, byte[]> ingest = only(deadLetters(Topics.CORPUS_INGEST_DLQ), "poison");
        assertThat(ingest.value()).isEqualTo(notJson);
        assertThat(header(ingest, "x-recap-reason")).startsWith("CorpusIngestBatch: malformed JSON");
        assertThat(header(ingest, "kafka_dlt-original-topic")).isEqualTo(Topics.CORPUS_INGEST);
        assertThat(header(ingest, "kafka_dlt-exception-cause-fqcn")).isNotNull();

        ConsumerRecord<String, byte[]> event = only(deadLetters(Topics.TRAINING_EVENTS_DLQ), "jpoison");
        assertThat(event.value()).isEqualTo(noTotalSteps);
        assertThat(header(event, "x-recap-reason")).startsWith("TrainingEvent: ").contains("totalSteps");
        assertThat(header(event, "kafka_dlt-original-topic")).isEqualTo(Topics.TRAINING_EVENTS);

        assertThat(metrics.messageCount(Topics.CORPUS_INGEST, "malformed") - ingestMalformedBefore).isEqualTo(1);
        assertThat(metrics.messageCount(Topics.TRAINING_EVENTS, "malformed") - eventsMalformedBefore).isEqualTo(1);
        assertThat(output.getOut()).contains("dead-lettered record " + Topics.CORPUS_INGEST + "-0@",
                "to " + Topics.CORPUS_INGEST_DLQ + " (malformed): CorpusIngestBatch: malformed JSON");
    }

    /**
     * Drops a pooled connection the stop broke, as the pool does by itself for PostgreSQL, whose driver reports it
     * with SQL state class 08. H2 uses codes of its own, so without this the pool keeps handing out a broken
     * connection for as long as some thread uses it every half second (the scheduler does).
     */
    public static final class EvictBrokenH2Connections implements SQLExceptionOverride {
        @java.lang.Override
        public Override adjudicate(SQLException e) {
            return e.getErrorCode() == ErrorCode.CONNECTION_BROKEN_1
                    || e.getErrorCode() == ErrorCode.DATABASE_CALLED_AT_SHUTDOWN ? Override.MUST_EVICT
                    : Override.CONTINUE_EVICT;
        }
    }

    private Server startDatabase() throws SQLException {
        return Server.createTcpServer("-tcpPort", Integer.toString(databasePort), "-baseDir",
                dataDir.resolve("database").toString(), "-ifNotExists").start();
    }

    private void send(String topic, String key, byte[] value) throws Exception {
        @SuppressWarnings("unchecked")
        KafkaTemplate<String, byte[]> kafka = context.getBean(KafkaTemplate.class);
        kafka.send(topic, key, value).get(10, TimeUnit.SECONDS);
    }

    /** Every record on {@code topic} now, read from its start to its end. */
    private List<ConsumerRecord<String, byte[]>> deadLetters(String topic) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                assertThat(System.nanoTime()).as("read " + topic + " to its end in time").isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static ConsumerRecord<String, byte[]> only(List<ConsumerRecord<String, byte[]>> records, String key) {
        List<ConsumerRecord<String, byte[]>> withKey = records.stream().filter(r -> key.equals(r.key())).toList();
        assertThat(withKey).as("dead letters with key " + key).hasSize(1);
        return withKey.get(0);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
