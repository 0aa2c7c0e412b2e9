package io.recap.core.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recap.core.domain.CaptionStyle;
import io.recap.core.domain.ImageRef;
import io.recap.core.domain.JobState;
import io.recap.core.domain.ModelRef;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MessageCodecTest {

    private static final Instant NOW = Instant.parse("2026-03-04T05:06:07.123Z");
    private static final ModelRef CAPTIONER = ModelRef.captioner("shapes-cap", "v2");

    private final MessageCodec codec = new MessageCodec();

    static Stream<RecapMessage> everyMessage() {
        return Stream.of(
                new CorpusIngestBatch("shapes-10k", "b-0001", List.of(
                        new CorpusIngestBatch.Item("img-1", ImageRef.ofUri("file:shapes/img-1.png"), "photo by J. Doe"),
                        new CorpusIngestBatch.Item("img-2", ImageRef.inline(new byte[] {(byte) 0x89, 'P', 'N', 'G'}), ""))),
                new RelabelRequest("shapes-10k", "b-0001",
                        List.of(new RelabelRequest.Item("img-1", ImageRef.ofUri("file:/data/shapes/img-1.png"))),
                        CAPTIONER, EnumSet.of(CaptionStyle.SHORT, CaptionStyle.LONG)),
                RelabelResult.success("img-1", "shapes-10k", "b-0001", CAPTIONER,
                        Map.of(CaptionStyle.SHORT, "a red circle", CaptionStyle.LONG, "a large red circle left of a blue square")),
                RelabelResult.failure("img-2", "shapes-10k", "b-0001", CAPTIONER, "TOO_MANY_PIXELS", "50000x50000"),
                new TrainingEvent(1, "job-7", 1, TrainingEvent.Type.PROGRESS, 120L, 300L, 0.42, 3.5, 51.4, null, null,
                        null, null, NOW),
                new TrainingEvent(1, "job-7", 2, TrainingEvent.Type.CHECKPOINT, 150L, null, null, null, null,
                        "jobs/job-7/checkpoints/150", null, null, null, NOW),
                new TrainingEvent(1, "job-7", 2, TrainingEvent.Type.METRICS, 300L, null, null, null, null, null,
                        Map.of("fid", 14.84, "countingError", 1.32), null, null, NOW),
                new TrainingEvent(1, "job-7", 3, TrainingEvent.Type.STATE, null, null, null, null, null, null, null,
                        JobState.FAILED, "out of memory", NOW),
                new ModelEvent(1, ModelEvent.Kind.PROMOTED, ModelRef.textToImage("sd-shapes", "v3"), NOW));
    }

    @ParameterizedTest
    @MethodSource("everyMessage")
    void everyMessageRoundTripsThroughJson(RecapMessage message) {
        byte[] json = codec.encode(message);
        assertThat(codec.decode(json, message.getClass())).isEqualTo(message);
        assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"schemaVersion\":1");
    }

    @Test
    void optionalFieldsAreOmittedAndValuesUseReadableForms() {
        String json = new String(codec.encode(everyMessage().toList().get(7)), StandardCharsets.UTF_8);
        assertThat(json).contains("\"state\":\"FAILED\"", "\"timestamp\":\"2026-03-04T05:06:07.123Z\"")
                .doesNotContain("step", "loss", "metrics", "null");
        String result = new String(codec.encode(everyMessage().toList().get(2)), StandardCharsets.UTF_8);
        assertThat(result).contains("\"captions\":{\"SHORT\":\"a red circle\"").doesNotContain("error", "succeeded");
    }

    @Test
    void keysFollowTheTopicContract() {
        List<RecapMessage> messages = everyMessage().toList();
        assertThat(messages.get(0).key()).isEqualTo("shapes-10k");
        assertThat(messages.get(1).key()).isEqualTo("shapes-10k/b-0001");
        assertThat(messages.get(2).key()).isEqualTo("img-1");
        assertThat(messages.get(4).key()).isEqualTo("job-7");
        assertThat(messages.get(8).key()).isEqualTo("text-to-image");
    }

    @Test
    void unknownFieldsAreIgnored() {
        String json = """
                {"schemaVersion":1,"kind":"RETIRED","addedLater":{"x":[1,2]},
                 "model":{"kind":"CAPTIONER","name":"cap","version":"v1","shard":3},
                 "timestamp":"2026-03-04T05:06:07Z"}""";
        ModelEvent event = decode(json, ModelEvent.class);
        assertThat(event.kind()).isEqualTo(ModelEvent.Kind.RETIRED);
        assertThat(event.model()).isEqualTo(ModelRef.captioner("cap", "v1"));
    }

    static Stream<Arguments> rejectedInputs() {
        String model = "\"model\":{\"kind\":\"CAPTIONER\",\"name\":\"cap\",\"version\":\"v1\"}";
        String valid = "{\"schemaVersion\":1,\"kind\":\"PROMOTED\"," + model + ",\"timestamp\":\"2026-03-04T05:06:07Z\"}";
        String result = "{\"schemaVersion\":1,\"imageId\":\"i\",\"corpusId\":\"c\",\"batchId\":\"b\","
                + "\"captioner\":{\"kind\":\"CAPTIONER\",\"name\":\"cap\",\"version\":\"v1\"}";
        return Stream.of(
                Arguments.of("empty bytes", "", ModelEvent.class, "empty"),
                Arguments.of("not JSON", "hello", ModelEvent.class, "malformed JSON"),
                Arguments.of("cut off JSON", valid.substring(0, valid.length() - 10), ModelEvent.class, "malformed JSON"),
                Arguments.of("trailing garbage", valid + " }", ModelEvent.class, ""),
                Arguments.of("JSON null", "null", ModelEvent.class, "null"),
                Arguments.of("JSON array", "[]", ModelEvent.class, "wrong type"),
                Arguments.of("missing required field", valid.replace("\"kind\":\"PROMOTED\",", ""), ModelEvent.class, "kind"),
                Arguments.of("missing nested field", valid.replace("\"version\":\"v1\"", "\"x\":1"), ModelEvent.class, "model version"),
                Arguments.of("missing schemaVersion", valid.replace("\"schemaVersion\":1,", ""), ModelEvent.class, "missing or null value: schemaVersion"),
                Arguments.of("future schemaVersion", valid.replace("\"schemaVersion\":1", "\"schemaVersion\":2"), ModelEvent.class, "schemaVersion 2"),
                Arguments.of("negative schemaVersion", valid.replace("\"schemaVersion\":1", "\"schemaVersion\":-1"), ModelEvent.class, "schemaVersion -1"),
                Arguments.of("null schemaVersion", valid.replace("\"schemaVersion\":1", "\"schemaVersion\":null"), ModelEvent.class, "missing or null value: schemaVersion"),
                Arguments.of("wrong type for number", valid.replace("\"schemaVersion\":1", "\"schemaVersion\":\"one\""), ModelEvent.class, "schemaVersion"),
                Arguments.of("unknown enum value", valid.replace("PROMOTED", "DELETED"), ModelEvent.class, "kind"),
                Arguments.of("bad timestamp", valid.replace("2026-03-04T05:06:07Z", "yesterday"), ModelEvent.class, "timestamp"),
                Arguments.of("object instead of list", "{\"schemaVersion\":1,\"corpusId\":\"c\",\"batchId\":\"b\",\"items\":{}}",
                        CorpusIngestBatch.class, "items"),
                Arguments.of("empty batch", "{\"schemaVersion\":1,\"corpusId\":\"c\",\"batchId\":\"b\",\"items\":[]}",
                        CorpusIngestBatch.class, "items must not be empty"),
                Arguments.of("image without uri or bytes",
                        "{\"schemaVersion\":1,\"corpusId\":\"c\",\"batchId\":\"b\",\"items\":[{\"imageId\":\"i\",\"image\":{}}]}",
                        CorpusIngestBatch.class, "exactly one of uri or inlineBase64"),
                Arguments.of("traversal in corpus id", "{\"schemaVersion\":1,\"corpusId\":\"../c\",\"batchId\":\"b\",\"items\":[]}",
                        CorpusIngestBatch.class, "corpusId"),
                Arguments.of("result with captions and error", result
                        + ",\"captions\":{\"SHORT\":\"x\"},\"error\":{\"code\":\"E\",\"message\":\"m\"}}",
                        RelabelResult.class, "exactly one of captions or error"),
                Arguments.of("result with neither", result + "}", RelabelResult.class, "exactly one of captions or error"),
                Arguments.of("result with blank caption", result + ",\"captions\":{\"LONG\":\" \"}}", RelabelResult.class, "LONG caption"),
                Arguments.of("request for ALT captions", "{\"schemaVersion\":1,\"corpusId\":\"c\",\"batchId\":\"b\","
                        + "\"items\":[{\"imageId\":\"i\",\"image\":{\"uri\":\"file:a.png\"}}],"
                        + "\"captioner\":{\"kind\":\"CAPTIONER\",\"name\":\"cap\",\"version\":\"v1\"},\"styles\":[\"ALT\"]}",
                        RelabelRequest.class, "ALT"),
                Arguments.of("request with a text-to-image model as captioner", "{\"schemaVersion\":1,\"corpusId\":\"c\","
                        + "\"batchId\":\"b\",\"items\":[{\"imageId\":\"i\",\"image\":{\"uri\":\"file:a.png\"}}],"
                        + "\"captioner\":{\"kind\":\"TEXT_TO_IMAGE\",\"name\":\"t\",\"version\":\"v1\"},\"styles\":[\"SHORT\"]}",
                        RelabelRequest.class, "captioner"),
                Arguments.of("progress without totalSteps", "{\"schemaVersion\":1,\"jobId\":\"j\",\"type\":\"PROGRESS\","
                        + "\"step\":3,\"timestamp\":\"2026-03-04T05:06:07Z\"}", TrainingEvent.class, "totalSteps"),
                Arguments.of("step beyond totalSteps", "{\"schemaVersion\":1,\"jobId\":\"j\",\"type\":\"PROGRESS\","
                        + "\"step\":301,\"totalSteps\":300,\"timestamp\":\"2026-03-04T05:06:07Z\"}", TrainingEvent.class, "exceeds"),
                Arguments.of("state event without state", "{\"schemaVersion\":1,\"jobId\":\"j\",\"type\":\"STATE\","
                        + "\"timestamp\":\"2026-03-04T05:06:07Z\"}", TrainingEvent.class, "state"),
                Arguments.of("attempt zero", "{\"schemaVersion\":1,\"jobId\":\"j\",\"attempt\":0,\"type\":\"LOG\","
                        + "\"message\":\"m\",\"timestamp\":\"2026-03-04T05:06:07Z\"}", TrainingEvent.class, "attempt"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedInputs")
    void rejectsWithMalformedMessageException(String description, String json, Class<?> type, String reasonPart) {
        assertThatThrownBy(() -> decode(json, type))
                .isExactlyInstanceOf(MalformedMessageException.class)
                .satisfies(e -> assertThat(((MalformedMessageException) e).reason())
                        .startsWith(type.getSimpleName() + ": ").contains(reasonPart));
    }

    @Test
    void aTrainingEventWithoutAnAttemptFromAnOlderTrainerIsStillRead() {
        TrainingEvent event = decode("{\"schemaVersion\":1,\"jobId\":\"j\",\"type\":\"CHECKPOINT\",\"step\":4,"
                + "\"checkpointPath\":\"checkpoints/j/step-4\",\"timestamp\":\"2026-03-04T05:06:07Z\"}", TrainingEvent.class);
        assertThat(event.attempt()).isNull();
        assertThat(event.step()).isEqualTo(4);
        assertThat(new String(codec.encode(TrainingEvent.log("j", 2, "line")), StandardCharsets.UTF_8))
                .contains("\"attempt\":2");
    }

    @Test
    void nullBytesAreRejectedToo() {
        assertThatThrownBy(() -> codec.decode(null, ModelEvent.class)).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void constructionInCodeIsValidatedLikeDecoding() {
        assertThatThrownBy(() -> new ModelEvent(2, ModelEvent.Kind.PROMOTED, CAPTIONER, NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schemaVersion 2");
        assertThatThrownBy(() -> TrainingEvent.progress("job 1", 1, 1, 10, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jobId");
        assertThatThrownBy(() -> TrainingEvent.progress("j", 1, 1, 10, Double.NaN, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loss");
        assertThatThrownBy(() -> new CorpusIngestBatch("c", "b", List.of(
                new CorpusIngestBatch.Item("i", ImageRef.ofUri("file:a.png"), null),
                new CorpusIngestBatch.Item("i", ImageRef.ofUri("file:b.png"), null))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
    }

    private <T> T decode(String json, Class<T> type) {
        return codec.decode(json.getBytes(StandardCharsets.UTF_8), type);
    }
}
