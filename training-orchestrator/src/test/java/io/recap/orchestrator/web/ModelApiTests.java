package io.recap.orchestrator.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelRef;
import io.recap.core.messages.ModelEvent;
import io.recap.core.messages.Topics;
import io.recap.core.model.ModelStore;
import io.recap.orchestrator.support.OrchestratorIntegrationTest;
import io.recap.orchestrator.support.TestModels;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import tools.jackson.databind.JsonNode;

/** {@code /models}: versions read from the model store, promotion moves the pointer and is published on Kafka. */
class ModelApiTests extends OrchestratorIntegrationTest {

    @Autowired
    ModelStore models;

    @Autowired
    EmbeddedKafkaBroker broker;

    @Test
    void listsVersionsByKindWithTheirManifestsMetricsAndLineage() throws Exception {
        ModelRef captioner = TestModels.captioner(models, "registry-cap", "v1");
        TestModels.textToImage(models, "registry-sd", "v1", "shapes-10k", captioner);

        JsonNode captioners = getJson("/models?kind=captioner");
        assertThat(captioners.toString()).contains("\"name\":\"registry-cap\"").doesNotContain("registry-sd");
        assertThat(getJson("/models").toString()).contains("registry-cap", "registry-sd");

        JsonNode details = getJson("/models/text-to-image/registry-sd/v1");
        JsonNode lineage = details.get("manifest").get("lineage");
        assertThat(lineage.get("corpusId").asString()).isEqualTo("shapes-10k");
        assertThat(lineage.get("captionerRef").get("name").asString()).isEqualTo("registry-cap");
        assertThat(lineage.get("captionMix").get("longWeight").asDouble()).isEqualTo(0.5);
        assertThat(details.get("manifest").get("metrics").get("fid").asDouble()).isEqualTo(14.84);
        assertThat(details.get("promoted").asBoolean()).isFalse();
    }

    @Test
    void promotionMovesTheStorePointerIsRecordedAndPublishesAModelEvent() throws Exception {
        TestModels.captioner(models, "promo-cap", "v1");
        ModelRef v2 = TestModels.captioner(models, "promo-cap", "v2");

        try (Consumer<String, byte[]> consumer = modelEventConsumer()) {
            HttpResponse<String> response = post("/models/captioner/promo-cap/v2/promote", null);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(json(response).get("eventPublished").asBoolean()).isTrue();

            List<ConsumerRecord<String, byte[]>> received = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.stream().noneMatch(r -> isPromotionOf(r, v2)) && System.nanoTime() < deadline) {
                KafkaTestUtils.getRecords(consumer, Duration.ofSeconds(2)).forEach(received::add);
            }
            ConsumerRecord<String, byte[]> event = received.stream().filter(r -> isPromotionOf(r, v2)).findFirst()
                    .orElseThrow(() -> new AssertionError("no PROMOTED event for " + v2 + " in " + received.size()));
            assertThat(event.key()).isEqualTo("captioner");
        }

        assertThat(models.promoted(ModelKind.CAPTIONER)).hasValue(v2);
        assertThat(Files.readString(store().resolve("models/captioner/PROMOTED")).trim()).isEqualTo("captioner/promo-cap/v2");
        JsonNode details = getJson("/models/captioner/promo-cap/v2");
        assertThat(details.get("promoted").asBoolean()).isTrue();
        assertThat(details.get("promotions")).hasSize(1);
        assertThat(getJson("/models/captioner/promo-cap/v1").get("promoted").asBoolean()).isFalse();
    }

    @Test
    void unknownModelsAndBadPathsAreProblems() throws Exception {
        HttpResponse<String> missing = post("/models/captioner/promo-cap/v404/promote", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("\"reason\":\"MODEL_NOT_FOUND\"");

        HttpResponse<String> badKind = get("/models/diffusion/x/v1");
        assertThat(badKind.statusCode()).isEqualTo(400);
        assertThat(badKind.body()).contains("\"field\":\"kind\"");

        HttpResponse<String> badVersion = get("/models/captioner/x/..v1");
        assertThat(badVersion.statusCode()).isEqualTo(400);
        assertThat(badVersion.body()).contains("\"field\":\"version\"");
    }

    private Consumer<String, byte[]> modelEventConsumer() {
        Map<String, Object> props = KafkaTestUtils.consumerProps(broker, "model-events-test", false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Consumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.MODEL_EVENTS));
        return consumer;
    }

    private static boolean isPromotionOf(ConsumerRecord<String, byte[]> record, ModelRef ref) {
        ModelEvent event = CODEC.decode(record.value(), ModelEvent.class);
        return event.kind() == ModelEvent.Kind.PROMOTED && event.model().equals(ref);
    }
}
