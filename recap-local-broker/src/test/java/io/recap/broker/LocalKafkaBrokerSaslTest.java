package io.recap.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.recap.core.kafka.KafkaAcls;
import io.recap.core.messages.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker in its SASL mode, with the platform's users and ACLs ({@link KafkaAcls}), against real clients: who
 * is refused, who may write what, and that a restart changes none of it. One broker for the class (a start costs
 * seconds); the tests use their own topics or groups where they write, so their order does not matter.
 */
class LocalKafkaBrokerSaslTest {

    // A quote and a backslash: the JAAS text must carry any password.
    private static final Map<String, String> PASSWORDS = Map.of(
            KafkaAcls.ORCHESTRATOR, "orchestrator-\"pass\\word",
            KafkaAcls.RELABEL_WORKER, "worker-password",
            KafkaAcls.TRAINER, "trainer-password");

    @TempDir
    static Path dataDir;

    private static LocalKafkaBroker broker;

    @BeforeAll
    static void startBrokerWithUsersAclsAndTopics() throws Exception {
        broker = new LocalKafkaBroker(dataDir.resolve("kafka"), 0, 1, new LocalKafkaBroker.Sasl("admin-password"))
                .start();
        broker.upsertScramUsers(PASSWORDS);
        broker.applyPlatformAcls();
        try (Admin admin = Admin.create(broker.adminConfig())) {
            admin.createTopics(KafkaAcls.topics().stream().map(topic -> new NewTopic(topic, 1, (short) 1)).toList())
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aProducerWithoutCredentialsIsRefusedAndWritesNothing() throws Exception {
        Map<String, Object> plaintext = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());

        Throwable refusal = sendFailure(plaintext, Topics.RELABEL_REQUESTS);

        // A PLAINTEXT client never gets past the SASL handshake: the broker drops its connections, so it never
        // learns the topic's metadata.
        assertThat(refusal).isInstanceOf(TimeoutException.class);
        assertThat(endOffset(Topics.RELABEL_REQUESTS)).isZero();
    }

    @Test
    void aProducerWithAWrongPasswordIsRefusedAndWritesNothing() throws Exception {
        Throwable refusal = sendFailure(broker.clientConfig(KafkaAcls.ORCHESTRATOR, "not-the-password"),
                Topics.RELABEL_REQUESTS);

        assertThat(refusal).isInstanceOf(SaslAuthenticationException.class);
        assertThat(endOffset(Topics.RELABEL_REQUESTS)).isZero();
    }

    @Test
    void theRelabelWorkerCannotWriteTrainingEventsWhileTheTrainerCan() throws Exception {
        long before = endOffset(Topics.TRAINING_EVENTS);

        Throwable refusal = sendFailure(as(KafkaAcls.RELABEL_WORKER), Topics.TRAINING_EVENTS);
        Throwable trainer = sendFailure(as(KafkaAcls.TRAINER), Topics.TRAINING_EVENTS);

        assertThat(refusal).isInstanceOf(TopicAuthorizationException.class);
        assertThat(((TopicAuthorizationException) refusal).unauthorizedTopics()).containsExactly(Topics.TRAINING_EVENTS);
        assertThat(trainer).isNull();
        assertThat(endOffset(Topics.TRAINING_EVENTS)).isEqualTo(before + 1);
    }

    @Test
    void theTrainerCannotWriteAnythingButTrainingEvents() throws Exception {
        for (String topic : List.of(Topics.RELABEL_RESULTS, Topics.CORPUS_INGEST, Topics.MODEL_EVENTS)) {
            assertThat(sendFailure(as(KafkaAcls.TRAINER), topic)).as(topic)
                    .isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void theOrchestratorPublishesAndConsumesItsTopicsButWritesNoRelabelResults() throws Exception {
        assertThat(sendFailure(as(KafkaAcls.ORCHESTRATOR), Topics.CORPUS_INGEST)).isNull();
        assertThat(consume(as(KafkaAcls.ORCHESTRATOR), KafkaAcls.ORCHESTRATOR_GROUP_PREFIX + "ingest-test",
                Topics.CORPUS_INGEST)).contains("value");

        assertThat(sendFailure(as(KafkaAcls.ORCHESTRATOR), Topics.RELABEL_RESULTS))
                .isInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void aServiceCannotConsumeInAnotherServicesGroup() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> consume(as(KafkaAcls.ORCHESTRATOR),
                        KafkaAcls.RELABEL_WORKERS_GROUP, Topics.CORPUS_INGEST))
                .isInstanceOf(GroupAuthorizationException.class);
    }

    @Test
    void applyingThePlatformAclsAgainRemovesAGrantTheyDoNotDefine() throws Exception {
        try (Admin admin = Admin.create(broker.adminConfig())) {
            admin.createAcls(List.of(new AclBinding(
                    new ResourcePattern(ResourceType.TOPIC, Topics.RELABEL_DLQ, PatternType.LITERAL),
                    new AccessControlEntry("User:" + KafkaAcls.TRAINER, "*", AclOperation.WRITE,
                            AclPermissionType.ALLOW)))).all().get();
        }
        awaitNoFailure(() -> sendFailure(as(KafkaAcls.TRAINER), Topics.RELABEL_DLQ));

        broker.applyPlatformAcls();

        assertThat(sendFailure(as(KafkaAcls.TRAINER), Topics.RELABEL_DLQ))
                .isInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void usersAndAclsSurviveAKilledAndRestartedBroker() throws Exception {
        broker.kill();
        broker.start();

        assertThat(sendFailure(as(KafkaAcls.TRAINER), Topics.TRAINING_EVENTS)).isNull();
        assertThat(sendFailure(as(KafkaAcls.RELABEL_WORKER), Topics.TRAINING_EVENTS))
                .isInstanceOf(TopicAuthorizationException.class);
        assertThat(sendFailure(broker.clientConfig(KafkaAcls.TRAINER, "not-the-password"), Topics.TRAINING_EVENTS))
                .isInstanceOf(SaslAuthenticationException.class);
    }

    private static Map<String, Object> as(String principal) {
        return broker.clientConfig(principal, PASSWORDS.get(principal));
    }

    /** Sends one record and waits for the broker; null when it was written, otherwise why not. */
    private static Throwable sendFailure(Map<String, Object> client, String topic) throws InterruptedException {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(topic, "key", "value")).get(30, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (KafkaException | java.util.concurrent.TimeoutException e) {
            return e;
        }
    }

    private static List<String> consume(Map<String, Object> client, String group, String topic) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }

    private static long endOffset(String topic) throws Exception {
        try (Admin admin = Admin.create(broker.adminConfig())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition).get().offset();
        }
    }

    private interface Attempt {
        Throwable run() throws Exception;
    }

    /** ACLs reach the broker's authorizer shortly after the controller commits them. */
    private static void awaitNoFailure(Attempt attempt) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Throwable last;
        while ((last = attempt.run()) != null) {
            assertThat(System.nanoTime()).as("still refused: " + last).isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}
