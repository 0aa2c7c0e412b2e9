package io.recap.orchestrator.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.recap.core.domain.CaptionMix;
import io.recap.core.domain.CaptionStyle;
import io.recap.core.domain.JobState;
import io.recap.core.domain.ModelManifest;
import io.recap.core.domain.ModelRef;
import io.recap.core.json.Json;
import io.recap.core.messages.MessageCodec;
import io.recap.core.messages.Topics;
import io.recap.core.messages.TrainingEvent;
import io.recap.core.model.ModelStore;
import io.recap.orchestrator.catalog.SnapshotManifest;
import io.recap.shapes.corpus.CorpusConfig;
import io.recap.shapes.corpus.CorpusEntry;
import io.recap.shapes.corpus.CorpusGenerator;
import io.recap.shapes.corpus.CorpusManifest;
import io.recap.shapes.text.AltTextConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * The trainer entry point of the Kubernetes executor, run in-process exactly as a pod would run it: the attempt in
 * its environment, a store on disk, events to a real KRaft broker. A smoke T2I_FINETUNE from a tiny snapshot must
 * report progress, checkpoints, metrics and SUCCEEDED on {@code recap.training.events} (key jobId) and publish the
 * model; a second attempt resumes from a checkpoint named by {@code RECAP_RESUME_*}.
 */
@EmbeddedKafka(partitions = 1, topics = Topics.TRAINING_EVENTS,
        brokerProperties = {"offsets.topic.num.partitions=1", "group.initial.rebalance.delay.ms=0"})
class TrainerMainTest {

    private static final MessageCodec CODEC = new MessageCodec();
    private static final ModelRef CAPTIONER = ModelRef.captioner("pod-captioner", "v1");

    @TempDir
    Path store;

    @TempDir
    Path images;

    private Path corpus;

    @BeforeEach
    void snapshot() throws Exception {
        corpus = images.resolve("pod-shapes");
        CorpusGenerator.generate(new CorpusConfig(corpus, 16, 11, 32, 0, 0, AltTextConfig.defaults()), line -> { });
        List<String> lines = new ArrayList<>();
        for (CorpusEntry entry : CorpusManifest.read(corpus).entries()) {
            lines.add(new String(Json.write(new SnapshotManifest.Record(entry.id(),
                    corpus.resolve(entry.file()).toUri().toString(), entry.altText(),
                    Map.of(CaptionStyle.SHORT, entry.captions().shortCaption(),
                            CaptionStyle.LONG, entry.captions().longCaption()))), StandardCharsets.UTF_8));
        }
        // One broken reference: counted and skipped, not fatal.
        lines.add(new String(Json.write(new SnapshotManifest.Record("missing", corpus.resolve("images/nope.png").toUri()
                .toString(), "alt", Map.of(CaptionStyle.LONG, "a red circle"))), StandardCharsets.UTF_8));
        Path snapshot = Files.createDirectories(store.resolve("snapshots/snap-pod"));
        Files.write(snapshot.resolve("part-0000.jsonl"), lines);
        Files.write(snapshot.resolve(SnapshotManifest.FILE_NAME), Json.write(new SnapshotManifest(
                SnapshotManifest.FORMAT, "snap-pod", "pod-shapes", CAPTIONER, lines.size(), 2L * lines.size() - 1,
                Map.of(CaptionStyle.SHORT, 16L, CaptionStyle.LONG, 17L), List.of("snapshots/snap-pod/part-0000.jsonl"),
                Instant.now())));
    }

    @Test
    void aSmokeT2iAttemptReportsOverKafkaPublishesAndASecondAttemptResumesFromItsCheckpoint(EmbeddedKafkaBroker broker)
            throws Exception {
        String jobId = "jpod" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Map<String, String> env = env(broker, jobId, 1, "{\"steps\":\"30\",\"checkpointEvery\":\"10\","
                + "\"modelName\":\"t2i-pod\"}");
        long begin = System.nanoTime();
        assertThat(TrainerMain.run(env)).isEqualTo(TrainerMain.EXIT_SUCCEEDED);
        System.out.printf("TrainerMain smoke attempt (30 steps) took %.1f s%n", (System.nanoTime() - begin) / 1e9);

        List<TrainingEvent> events = eventsUntilState(broker, jobId);
        assertThat(events).extracting(TrainingEvent::jobId).containsOnly(jobId);
        assertThat(events).as("every event names the attempt that sent it").extracting(TrainingEvent::attempt)
                .containsOnly(1);
        List<TrainingEvent> progress = ofType(events, TrainingEvent.Type.PROGRESS);
        assertThat(progress.get(0).step()).isZero();
        assertThat(progress.get(progress.size() - 1).step()).isEqualTo(30);
        assertThat(progress).allSatisfy(p -> assertThat(p.totalSteps()).isEqualTo(30));
        assertThat(ofType(events, TrainingEvent.Type.CHECKPOINT)).extracting(TrainingEvent::step,
                TrainingEvent::checkpointPath).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(10L, "checkpoints/" + jobId + "/step-00000010"),
                        org.assertj.core.groups.Tuple.tuple(20L, "checkpoints/" + jobId + "/step-00000020"),
                        org.assertj.core.groups.Tuple.tuple(30L, "checkpoints/" + jobId + "/step-00000030"));
        TrainingEvent metrics = ofType(events, TrainingEvent.Type.METRICS).get(0);
        assertThat(metrics.metrics()).containsEntry("dataset.images", 16.0).containsEntry("dataset.skipped", 1.0)
                .containsEntry("training.steps", 30.0).containsKey("training.final_loss");
        assertThat(ofType(events, TrainingEvent.Type.LOG)).extracting(TrainingEvent::message)
                .as("the task's log lines reach the job's log").anyMatch(line -> line.contains(
                        "published text-to-image/t2i-pod/v1"));
        TrainingEvent last = events.get(events.size() - 1);
        assertThat(last.type()).isEqualTo(TrainingEvent.Type.STATE);
        assertThat(last.state()).isEqualTo(JobState.SUCCEEDED);

        ModelStore models = new ModelStore(store);
        ModelManifest published = models.manifest(ModelRef.textToImage("t2i-pod", "v1"));
        assertThat(published.lineage().corpusId()).isEqualTo("pod-shapes");
        assertThat(published.lineage().captionerRef()).isEqualTo(CAPTIONER);
        assertThat(published.lineage().captionMix()).isEqualTo(CaptionMix.RECAP_MIX);
        assertThat(published.hyperParameters()).containsEntry("dataset.snapshot", "snap-pod");
        assertThat(models.directory(published.ref()).resolve("text-to-image-0000.params")).isNotEmptyFile();

        // Attempt 2 of another job, handed the first run's step-20 checkpoint: it trains steps 21..30 only.
        String resumedId = jobId + "r";
        Map<String, String> resumed = env(broker, resumedId, 2, "{\"steps\":\"30\",\"checkpointEvery\":\"10\","
                + "\"modelName\":\"t2i-pod\"}");
        resumed.put("RECAP_RESUME_STEP", "20");
        resumed.put("RECAP_RESUME_CHECKPOINT", store.resolve("checkpoints/" + jobId + "/step-00000020").toString());
        assertThat(TrainerMain.run(resumed)).isEqualTo(TrainerMain.EXIT_SUCCEEDED);
        List<TrainingEvent> resumedEvents = eventsUntilState(broker, resumedId);
        assertThat(resumedEvents).extracting(TrainingEvent::attempt).containsOnly(2);
        List<TrainingEvent> resumedProgress = ofType(resumedEvents, TrainingEvent.Type.PROGRESS);
        assertThat(resumedProgress.get(0).step()).isEqualTo(20);
        assertThat(resumedProgress.get(resumedProgress.size() - 1).step()).isEqualTo(30);
        assertThat(ofType(resumedEvents, TrainingEvent.Type.CHECKPOINT)).extracting(TrainingEvent::step)
                .containsExactly(30L);
        assertThat(ofType(resumedEvents, TrainingEvent.Type.METRICS).get(0).metrics())
                .containsEntry("training.steps", 30.0).containsEntry("training.steps_this_attempt", 10.0);
        assertThat(models.manifest(ModelRef.textToImage("t2i-pod", "v2")).hyperParameters())
                .containsEntry("orchestrator.jobId", resumedId);
    }

    @Test
    void aBadEnvironmentOrABadParamFailsWithAReasonAndADistinctExitCode(EmbeddedKafkaBroker broker) throws Exception {
        Map<String, String> noSpec = env(broker, "jpodnospec", 1, "{}");
        noSpec.remove("RECAP_JOB_SPEC");
        assertThat(TrainerMain.run(noSpec)).isEqualTo(TrainerMain.EXIT_INVALID_ENVIRONMENT);
        TrainingEvent invalid = eventsUntilState(broker, "jpodnospec").get(0);
        assertThat(invalid.state()).isEqualTo(JobState.FAILED);
        assertThat(invalid.message()).isEqualTo("invalid trainer environment: RECAP_JOB_SPEC: is required");
        assertThat(invalid.attempt()).as("read from RECAP_JOB_ATTEMPT though the rest is invalid").isEqualTo(1);

        Map<String, String> badStore = env(broker, "jpodbadstore", 1, "{}");
        badStore.put("RECAP_CHECKPOINT_DIR", "/elsewhere/checkpoints/jpodbadstore");
        assertThat(TrainerMain.run(badStore)).isEqualTo(TrainerMain.EXIT_INVALID_ENVIRONMENT);
        assertThat(eventsUntilState(broker, "jpodbadstore").get(0).message())
                .startsWith("invalid trainer environment: RECAP_CHECKPOINT_DIR: '/elsewhere/checkpoints/jpodbadstore'"
                        + " is not inside RECAP_STORE");

        Map<String, String> badParam = env(broker, "jpodbadparam", 1, "{\"batchSize\":\"0\"}");
        assertThat(TrainerMain.run(badParam)).isEqualTo(TrainerMain.EXIT_FAILED);
        List<TrainingEvent> events = eventsUntilState(broker, "jpodbadparam");
        assertThat(events.get(events.size() - 1).message())
                .isEqualTo("IllegalArgumentException: params.batchSize must be an integer in [1, 4096] but was '0'");
    }

    private Map<String, String> env(EmbeddedKafkaBroker broker, String jobId, int attempt, String params) {
        Map<String, String> env = new HashMap<>();
        env.put("RECAP_JOB_ID", jobId);
        env.put("RECAP_JOB_KIND", "T2I_FINETUNE");
        env.put("RECAP_JOB_ATTEMPT", Integer.toString(attempt));
        // As KubernetesJobFactory writes it: the spec record as JSON.
        env.put("RECAP_JOB_SPEC", "{\"corpusId\":\"pod-shapes\",\"captioner\":{\"kind\":\"CAPTIONER\",\"name\":"
                + "\"pod-captioner\",\"version\":\"v1\"},\"captionMix\":{\"altWeight\":0.0,\"shortWeight\":0.5,"
                + "\"longWeight\":0.5},\"preset\":\"smoke\"}");
        env.put("RECAP_JOB_PARAMS", params);
        env.put("RECAP_STORE", store.toString());
        env.put("RECAP_CHECKPOINT_DIR", store.resolve("checkpoints/" + jobId).toString());
        env.put("RECAP_SNAPSHOT", store.resolve("snapshots/snap-pod").toString());
        env.put("RECAP_EVENTS_TOPIC", Topics.TRAINING_EVENTS);
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.getBrokersAsString());
        env.put("RECAP_IMAGE_ROOTS", images.toString());
        env.put("RECAP_PROGRESS_INTERVAL_MS", "0");
        return env;
    }

    /** This job's events in topic order, up to and including its STATE event. */
    private static List<TrainingEvent> eventsUntilState(EmbeddedKafkaBroker broker, String jobId) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "trainer-test-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<TrainingEvent> events = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(Topics.TRAINING_EVENTS));
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (!jobId.equals(record.key())) {
                        continue;
                    }
                    TrainingEvent event = CODEC.decode(record.value(), TrainingEvent.class);
                    events.add(event);
                    if (event.type() == TrainingEvent.Type.STATE) {
                        return events;
                    }
                }
            }
        }
        throw new AssertionError("no STATE event for " + jobId + " within 30 s; got " + events);
    }

    private static List<TrainingEvent> ofType(List<TrainingEvent> events, TrainingEvent.Type type) {
        return events.stream().filter(e -> e.type() == type).toList();
    }
}
