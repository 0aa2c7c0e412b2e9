package io.recap.core.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertAll;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.recap.core.corpus.CorpusRecord;
import io.recap.core.corpus.CorpusRecords;
import io.recap.core.domain.CaptionStyle;
import io.recap.core.domain.ImageRef;
import io.recap.core.domain.ModelRef;
import io.recap.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The JSON Schemas in {@code docs/schemas/} are what external producers and consumers code against,
 * while {@link MessageCodec} is what the platform runs. These tests keep the two in agreement in both
 * directions: whatever the codec writes is valid, and documents that break the schema are refused by
 * the codec too. A record component the schema does not describe (or the reverse) fails the build, so
 * a new field cannot ship without its schema. The corpus manifest's lines ({@link CorpusRecord}, written and
 * read by {@link CorpusRecords}) are held to their schema the same way.
 */
class SchemaConformanceTest {

    static final String INGEST = "corpus-ingest-batch.v1.schema.json";
    static final String REQUEST = "relabel-request.v1.schema.json";
    static final String RESULT = "relabel-result.v1.schema.json";
    /** Not a message: one line of the corpus manifest {@code corpus.jsonl}, so it has no schemaVersion. */
    static final String RECORD = "corpus-record.v1.schema.json";

    private static final Path SCHEMAS = schemasDirectory();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final Map<String, Schema> SCHEMA_BY_FILE = Stream.of(INGEST, REQUEST, RESULT, RECORD)
            .collect(Collectors.toMap(file -> file, file -> REGISTRY.getSchema(read(file), InputFormat.JSON)));
    private static final Map<String, Class<? extends RecapMessage>> TYPE_BY_FILE = Map.of(
            INGEST, CorpusIngestBatch.class, REQUEST, RelabelRequest.class, RESULT, RelabelResult.class);

    /** A real 1x1 grey PNG, so inline images are what a producer would actually send. */
    private static final byte[] PNG = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGP4DwABAQEAsTj2FAAAAABJRU5ErkJggg==");
    private static final ModelRef CAPTIONER = ModelRef.captioner("recap-cap", "v3.1_rc-2");

    private final MessageCodec codec = new MessageCodec();

    static Stream<Arguments> messagesTheCodecWrites() {
        String longestId = "c" + "x".repeat(127);
        return Stream.of(
                Arguments.of(INGEST, new CorpusIngestBatch("street-photos", "b-0001", List.of(
                        new CorpusIngestBatch.Item("IMG_0042.jpg", ImageRef.ofUri("file:street-photos/IMG_0042.jpg"),
                                "a tram crossing a bridge at dusk"),
                        new CorpusIngestBatch.Item("no-alt", ImageRef.ofUri("file:/data/corpora/no-alt.png"), ""),
                        new CorpusIngestBatch.Item("shard-00000/000000042", ImageRef.tarMember(
                                "file:/data/corpora/laion/00000.tar", "000000042.jpg", 1536, 48213), "a dog"),
                        new CorpusIngestBatch.Item("inline dot", ImageRef.inline(PNG), ""),
                        new CorpusIngestBatch.Item("Ünïcode photo (1).webp", ImageRef.ofUri("s3://bucket/photos/1.webp"),
                                "alt-text may hold \"quotes\", a\nnewline and 🚋")))),
                // Ids at the 128-character limit, and the codec's own default for a missing alt-text.
                Arguments.of(INGEST, new CorpusIngestBatch(longestId, longestId, List.of(
                        new CorpusIngestBatch.Item("x".repeat(1024), ImageRef.ofUri("FILE:upper-case-scheme.png"), null)))),
                Arguments.of(REQUEST, new RelabelRequest("street-photos", "b-0001", List.of(
                        new RelabelRequest.Item("IMG_0042.jpg", ImageRef.ofUri("file:street-photos/IMG_0042.jpg")),
                        new RelabelRequest.Item("inline dot", ImageRef.inline(PNG)),
                        new RelabelRequest.Item("member", ImageRef.tarMember("file:shards/00000.tar",
                                "dir/a b?.png", 512, 100))),
                        CAPTIONER, EnumSet.of(CaptionStyle.SHORT, CaptionStyle.LONG))),
                Arguments.of(REQUEST, new RelabelRequest("street-photos", "b-0002", List.of(
                        new RelabelRequest.Item("IMG_0043.jpg", ImageRef.ofUri("file:street-photos/IMG_0043.jpg"))),
                        CAPTIONER, EnumSet.of(CaptionStyle.LONG))),
                Arguments.of(RESULT, RelabelResult.success("IMG_0042.jpg", "street-photos", "b-0001", CAPTIONER,
                        Map.of(CaptionStyle.SHORT, "A tram on a bridge.",
                                CaptionStyle.LONG, "A yellow tram crosses a stone bridge over a river at dusk."))),
                Arguments.of(RESULT, RelabelResult.success("IMG_0043.jpg", "street-photos", "b-0001", CAPTIONER,
                        Map.of(CaptionStyle.SHORT, "A dog."))),
                Arguments.of(RESULT, RelabelResult.failure("huge.png", "street-photos", "b-0001", CAPTIONER,
                        "TOO_MANY_PIXELS", "50000x50000 is more than the 40000000 pixels allowed")),
                // A failure without a message is written with an empty one.
                Arguments.of(RESULT, RelabelResult.failure("gone.png", "street-photos", "b-0001", CAPTIONER,
                        "OUTSIDE_ALLOWED_ROOTS", null)));
    }

    @ParameterizedTest
    @MethodSource("messagesTheCodecWrites")
    void everyMessageTheCodecWritesIsValidAgainstItsSchema(String schemaFile, RecapMessage message) {
        String json = new String(codec.encode(message), StandardCharsets.UTF_8);

        assertThat(errors(schemaFile, json)).as("%s against %s", json, schemaFile).isEmpty();
        // Guards against validating the wrong pairing: the table must match the message's own type.
        assertThat(message).isInstanceOf(TYPE_BY_FILE.get(schemaFile));
    }

    @ParameterizedTest
    @MethodSource("schemaFiles")
    void everyExampleInASchemaIsValidAndReadByTheCodec(String schemaFile) {
        JsonNode examples = tree(schemaFile).get("examples");
        assertThat(examples).as("examples of " + schemaFile).isNotNull().isNotEmpty();
        for (JsonNode example : examples) {
            String json = example.toString();
            assertThat(errors(schemaFile, json)).as(json).isEmpty();
            RecapMessage decoded = codec.decode(json.getBytes(StandardCharsets.UTF_8), TYPE_BY_FILE.get(schemaFile));
            // Written back, the example is the same document: no field of it is silently dropped.
            assertThat(Json.mapper().readTree(codec.encode(decoded))).isEqualTo(example);
        }
    }

    static Stream<Arguments> documentsTheSchemaAccepts() {
        return Stream.of(
                // altText may be left out; the consumer reads it as empty.
                Arguments.of(INGEST, """
                        {"schemaVersion":1,"corpusId":"c1","batchId":"b1",
                         "items":[{"imageId":"a","image":{"uri":"file:a.png"}}]}""",
                        "/items/0/altText", ""),
                // Properties the consumer does not know are ignored, so producers may be newer than consumers.
                Arguments.of(INGEST, """
                        {"schemaVersion":1,"corpusId":"c1","batchId":"b1","producer":"crawler 2.1",
                         "items":[{"imageId":"a","image":{"uri":"s3://bucket/a/b.jpg"},"altText":"x","licence":"CC-BY"}]}""",
                        "/items/0/image/uri", "s3://bucket/a/b.jpg"),
                Arguments.of(RESULT, """
                        {"schemaVersion":1,"imageId":"a","corpusId":"c1","batchId":"b1",
                         "captioner":{"kind":"CAPTIONER","name":"cap","version":"v1"},
                         "error":{"code":"DECODE_FAILED"}}""",
                        "/error/message", ""),
                Arguments.of(REQUEST, """
                        {"schemaVersion":1,"corpusId":"c1","batchId":"b1",
                         "items":[{"imageId":"a","image":{"inlineBase64":"%s"}}],
                         "captioner":{"kind":"CAPTIONER","name":"cap","version":"v1"},"styles":["LONG"]}"""
                        .formatted(Base64.getEncoder().encodeToString(PNG)),
                        "/styles/0", "LONG"));
    }

    @ParameterizedTest
    @MethodSource("documentsTheSchemaAccepts")
    void documentsWrittenByHandToTheSchemaAreReadByTheCodec(String schemaFile, String json, String pointer,
            String expected) {
        assertThat(errors(schemaFile, json)).as(json).isEmpty();

        RecapMessage decoded = codec.decode(json.getBytes(StandardCharsets.UTF_8), TYPE_BY_FILE.get(schemaFile));

        assertThat(Json.mapper().readTree(codec.encode(decoded)).at(pointer).asString()).isEqualTo(expected);
    }

    static Stream<Arguments> documentsThatBreakTheSchema() {
        String ingest = """
                {"schemaVersion":1,"corpusId":"c1","batchId":"b1",
                 "items":[{"imageId":"a","image":{"uri":"file:a.png"},"altText":""}]}""";
        String result = """
                {"schemaVersion":1,"imageId":"a","corpusId":"c1","batchId":"b1",
                 "captioner":{"kind":"CAPTIONER","name":"cap","version":"v1"},
                 "captions":{"SHORT":"a dog"}}""";
        String request = """
                {"schemaVersion":1,"corpusId":"c1","batchId":"b1",
                 "items":[{"imageId":"a","image":{"uri":"file:a.png"}}],
                 "captioner":{"kind":"CAPTIONER","name":"cap","version":"v1"},"styles":["SHORT"]}""";
        String inline = Base64.getEncoder().encodeToString(PNG);
        return Stream.of(
                Arguments.of(INGEST, "no schemaVersion", ingest.replace("\"schemaVersion\":1,", "")),
                Arguments.of(INGEST, "a schemaVersion from the future", ingest.replace("\"schemaVersion\":1", "\"schemaVersion\":2")),
                Arguments.of(INGEST, "no items", ingest.replaceAll(",\\s*\"items\":\\[.*]", "")),
                Arguments.of(INGEST, "empty items", ingest.replaceAll("\"items\":\\[.*]", "\"items\":[]")),
                Arguments.of(INGEST, "a corpusId that climbs out of its directory", ingest.replace("\"c1\"", "\"../etc\"")),
                Arguments.of(INGEST, "a corpusId starting with a dot", ingest.replace("\"c1\"", "\".hidden\"")),
                Arguments.of(INGEST, "a batchId with a trailing newline", ingest.replace("\"b1\"", "\"b1\\n\"")),
                Arguments.of(INGEST, "a corpusId of 129 characters", ingest.replace("\"c1\"", "\"" + "c".repeat(129) + "\"")),
                Arguments.of(INGEST, "a blank imageId", ingest.replace("\"imageId\":\"a\"", "\"imageId\":\"  \"")),
                Arguments.of(INGEST, "an imageId with a control character", ingest.replace("\"imageId\":\"a\"", "\"imageId\":\"a\\u0007\"")),
                Arguments.of(INGEST, "an item without an image", ingest.replace(",\"image\":{\"uri\":\"file:a.png\"}", "")),
                Arguments.of(INGEST, "both uri and inlineBase64",
                        ingest.replace("{\"uri\":\"file:a.png\"}", "{\"uri\":\"file:a.png\",\"inlineBase64\":\"" + inline + "\"}")),
                Arguments.of(INGEST, "neither uri nor inlineBase64", ingest.replace("{\"uri\":\"file:a.png\"}", "{}")),
                Arguments.of(INGEST, "an http uri", ingest.replace("file:a.png", "http://example.com/a.png")),
                Arguments.of(INGEST, "a file uri without a path", ingest.replace("file:a.png", "file://")),
                Arguments.of(INGEST, "an s3 uri without a key", ingest.replace("file:a.png", "s3://bucket/")),
                Arguments.of(INGEST, "a tar uri without offset and length", ingest.replace("file:a.png", "tar:file:s.tar!/a.png")),
                Arguments.of(INGEST, "a tar member of length 0",
                        ingest.replace("file:a.png", "tar:file:s.tar!/a.png?offset=512&length=0")),
                Arguments.of(INGEST, "a tar uri around an s3 uri",
                        ingest.replace("file:a.png", "tar:s3://bucket/s.tar!/a.png?offset=512&length=9")),
                Arguments.of(INGEST, "inlineBase64 that is not base64",
                        ingest.replace("{\"uri\":\"file:a.png\"}", "{\"inlineBase64\":\"not base64!\"}")),
                Arguments.of(INGEST, "items that are not an array", ingest.replaceAll("\"items\":\\[.*]", "\"items\":{}")),
                Arguments.of(RESULT, "both captions and error",
                        result.replace("}}", "},\"error\":{\"code\":\"X\"}}")),
                Arguments.of(RESULT, "neither captions nor error", result.replaceAll(",\\s*\"captions\":\\{[^}]*}", "")),
                Arguments.of(RESULT, "empty captions", result.replace("{\"SHORT\":\"a dog\"}", "{}")),
                Arguments.of(RESULT, "an ALT caption, which no captioner writes", result.replace("SHORT", "ALT")),
                Arguments.of(RESULT, "an unknown style", result.replace("SHORT", "MEDIUM")),
                Arguments.of(RESULT, "a blank caption", result.replace("\"a dog\"", "\" \"")),
                Arguments.of(RESULT, "a text-to-image model as captioner", result.replace("CAPTIONER", "TEXT_TO_IMAGE")),
                Arguments.of(RESULT, "a captioner without a version", result.replace(",\"version\":\"v1\"", "")),
                Arguments.of(RESULT, "an error code with a space",
                        result.replaceAll("\"captions\":\\{[^}]*}", "\"error\":{\"code\":\"TOO MANY\"}")),
                Arguments.of(RESULT, "no imageId", result.replace("\"imageId\":\"a\",", "")),
                Arguments.of(REQUEST, "no styles", request.replace(",\"styles\":[\"SHORT\"]", "")),
                Arguments.of(REQUEST, "empty styles", request.replace("[\"SHORT\"]", "[]")),
                Arguments.of(REQUEST, "the ALT style", request.replace("[\"SHORT\"]", "[\"ALT\"]")),
                Arguments.of(REQUEST, "no captioner", request.replaceAll(",\\s*\"captioner\":\\{[^}]*}", "")));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("documentsThatBreakTheSchema")
    void documentsThatBreakTheSchemaAreRefusedByTheCodecToo(String schemaFile, String breach, String json) {
        assertThat(errors(schemaFile, json)).as("schema errors for %s: %s", breach, json).isNotEmpty();

        assertThatThrownBy(() -> codec.decode(json.getBytes(StandardCharsets.UTF_8), TYPE_BY_FILE.get(schemaFile)))
                .as("codec on %s: %s", breach, json)
                .isInstanceOf(MalformedMessageException.class);
    }

    /**
     * The schema cannot state every rule; these it leaves to the consumer, and the README says so.
     * If the codec ever stopped enforcing them, nothing would.
     */
    @Test
    void rulesTheSchemaCannotStateAreStillEnforcedByTheCodec() {
        String duplicateIds = """
                {"schemaVersion":1,"corpusId":"c1","batchId":"b1","items":[
                 {"imageId":"a","image":{"uri":"file:a.png"}},{"imageId":"a","image":{"uri":"file:b.png"}}]}""";
        String tooLargeInline = """
                {"schemaVersion":1,"corpusId":"c1","batchId":"b1","items":[
                 {"imageId":"a","image":{"inlineBase64":"%s"}}]}"""
                .formatted(Base64.getEncoder().encodeToString(new byte[ImageRef.MAX_INLINE_BYTES + 1]).replace("=", ""));

        for (String json : List.of(duplicateIds, tooLargeInline)) {
            assertThat(errors(INGEST, json)).isEmpty();
            assertThatThrownBy(() -> codec.decode(json.getBytes(StandardCharsets.UTF_8), CorpusIngestBatch.class))
                    .isInstanceOf(MalformedMessageException.class);
        }
    }

    static Stream<Arguments> schemaObjectsAndTheirRecords() {
        return Stream.of(
                Arguments.of(INGEST, "", CorpusIngestBatch.class),
                Arguments.of(INGEST, "/properties/items/items", CorpusIngestBatch.Item.class),
                Arguments.of(INGEST, "/$defs/imageRef", ImageRef.class),
                Arguments.of(REQUEST, "", RelabelRequest.class),
                Arguments.of(REQUEST, "/properties/items/items", RelabelRequest.Item.class),
                Arguments.of(REQUEST, "/$defs/imageRef", ImageRef.class),
                Arguments.of(REQUEST, "/$defs/captioner", ModelRef.class),
                Arguments.of(RESULT, "", RelabelResult.class),
                Arguments.of(RESULT, "/properties/error", RelabelResult.Failure.class),
                Arguments.of(RESULT, "/$defs/captioner", ModelRef.class),
                Arguments.of(RECORD, "", CorpusRecord.class));
    }

    @ParameterizedTest(name = "{0}#{1} describes {2}")
    @MethodSource("schemaObjectsAndTheirRecords")
    void theSchemaDescribesExactlyTheFieldsOfTheRecord(String schemaFile, String pointer, Class<? extends Record> type) {
        JsonNode object = tree(schemaFile).at(pointer);
        List<String> components = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();

        // A new record component must be described (or it reaches producers undocumented), and a property
        // the record lacks would be silently dropped by the consumer.
        assertThat(object.get("properties").propertyNames()).as("%s#%s properties", schemaFile, pointer)
                .containsExactlyInAnyOrderElementsOf(components);
        if (object.has("required")) {
            assertThat(object.get("required").values()).extracting(JsonNode::asString).isSubsetOf(components);
        }
    }

    @ParameterizedTest
    @MethodSource("schemaFiles")
    void eachSchemaIsDraft202012AndNamedAfterTheVersionItDescribes(String schemaFile) {
        JsonNode schema = tree(schemaFile);
        assertAll(
                () -> assertThat(schema.get("$schema").asString()).isEqualTo("https://json-schema.org/draft/2020-12/schema"),
                () -> assertThat(schema.get("$id").asString()).endsWith("/" + schemaFile),
                // When the codec moves to version 2 this fails until a v2 schema is published next to v1.
                () -> assertThat(schemaFile).endsWith(".v" + RecapMessage.CURRENT_SCHEMA_VERSION + ".schema.json"),
                () -> assertThat(schema.at("/properties/schemaVersion/const").asInt())
                        .isEqualTo(RecapMessage.CURRENT_SCHEMA_VERSION));
    }

    static Stream<CorpusRecord> corpusRecordsTheWriterWrites() {
        Map<String, Object> scene = new LinkedHashMap<>();
        scene.put("background", "WHITE");
        scene.put("objects", List.of(Map.of("shape", "CIRCLE", "colour", "RED", "size", "LARGE", "cell", "TOP_LEFT")));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("index", 0);
        metadata.put("sceneSeed", Long.MIN_VALUE);
        metadata.put("scene", scene);
        metadata.put("reference", List.of("A red circle."));
        metadata.put("pretrain", "red circle");
        metadata.put("weight", 0.5);
        metadata.put("licence", null);
        metadata.put("style", CaptionStyle.LONG);
        return Stream.of(
                new CorpusRecord("sw-s42-000000", "images/000000.png", "red circle stock photo", "human",
                        Map.of(CaptionStyle.SHORT, "A red circle.", CaptionStyle.LONG, "A large red circle at the top"
                                + " left on a white background."), metadata),
                new CorpusRecord("x".repeat(1024), "./a:b.png", null, null),
                new CorpusRecord("IMG_0042", "file:/data/corpora/street-photos/IMG_0042.jpg",
                        "alt-text may hold \"quotes\", a\nnewline and 🚋", "eval"),
                new CorpusRecord("rel", "FILE:images/rel.png", "", "val-2_b"),
                new CorpusRecord("00000/000000042", ImageRef.tarMember("file:00000.tar", "dir/a b?.jpg", 1536, 48213)
                        .uri(), "", "train", Map.of(CaptionStyle.LONG, "only long"), Map.of("url", "https://x/42.jpg")));
    }

    @ParameterizedTest
    @MethodSource("corpusRecordsTheWriterWrites")
    void everyCorpusRecordTheWriterWritesIsValidAgainstItsSchemaAndReadsBackEqual(CorpusRecord record,
            @TempDir Path dir) throws IOException {
        Path file = dir.resolve(CorpusRecords.FILE_NAME);
        try (CorpusRecords.Writer writer = CorpusRecords.writer(file)) {
            writer.write(record);
        }
        List<String> lines = Files.readAllLines(file);

        assertThat(lines).hasSize(1);
        assertThat(errors(RECORD, lines.get(0))).as("%s against %s", lines.get(0), RECORD).isEmpty();
        assertThat(CorpusRecords.readAll(file, error -> {
            throw new AssertionError(error.toString());
        })).containsExactly(record);
    }

    @Test
    void everyExampleOfTheCorpusRecordSchemaIsValidAndReadByCorpusRecords(@TempDir Path dir) throws IOException {
        JsonNode examples = tree(RECORD).get("examples");
        assertThat(examples).isNotNull().isNotEmpty();
        Path file = dir.resolve(CorpusRecords.FILE_NAME);
        StringBuilder manifest = new StringBuilder();
        for (JsonNode example : examples) {
            assertThat(errors(RECORD, example.toString())).as(example.toString()).isEmpty();
            manifest.append(example).append('\n');
        }
        Files.writeString(file, manifest);

        List<CorpusRecord> records = CorpusRecords.readAll(file, error -> {
            throw new AssertionError(error.toString());
        });

        assertThat(records).hasSize(examples.size());
        for (int i = 0; i < records.size(); i++) {
            // Written back, the example is the same document: no field of it is silently dropped.
            assertThat(Json.mapper().readTree(CorpusRecords.line(records.get(i)))).isEqualTo(examples.get(i));
        }
    }

    static Stream<Arguments> corpusRecordsThatBreakTheSchema() {
        String record = """
                {"id":"a","image":"a.png","altText":"","split":"train","captions":{"SHORT":"a dog"},"metadata":{"k":1}}""";
        return Stream.of(
                Arguments.of("no id", record.replace("\"id\":\"a\",", "")),
                Arguments.of("a blank id", record.replace("\"id\":\"a\"", "\"id\":\"  \"")),
                Arguments.of("an id with a control character", record.replace("\"id\":\"a\"", "\"id\":\"a\\u0007\"")),
                Arguments.of("an id of 1025 characters", record.replace("\"id\":\"a\"", "\"id\":\"" + "a".repeat(1025) + "\"")),
                Arguments.of("no image", record.replace("\"image\":\"a.png\",", "")),
                Arguments.of("a null image", record.replace("\"a.png\"", "null")),
                Arguments.of("an image that is not a string", record.replace("\"a.png\"", "{\"uri\":\"file:a.png\"}")),
                Arguments.of("an absolute path", record.replace("a.png", "/data/a.png")),
                Arguments.of("an http uri", record.replace("a.png", "http://example.com/a.png")),
                Arguments.of("an s3 uri", record.replace("a.png", "s3://bucket/a.png")),
                Arguments.of("a file uri without a path", record.replace("a.png", "file://")),
                Arguments.of("a tar uri without offset and length", record.replace("a.png", "tar:file:s.tar!/a.png")),
                Arguments.of("a tar member of length 0", record.replace("a.png", "tar:file:s.tar!/a.png?offset=0&length=0")),
                Arguments.of("an image with a newline", record.replace("a.png", "a\\n.png")),
                Arguments.of("altText that is not a string", record.replace("\"altText\":\"\"", "\"altText\":[]")),
                Arguments.of("a split in capitals", record.replace("\"train\"", "\"Train\"")),
                Arguments.of("a split with a space", record.replace("\"train\"", "\"hold out\"")),
                Arguments.of("an empty split", record.replace("\"train\"", "\"\"")),
                Arguments.of("a split of 33 characters", record.replace("\"train\"", "\"" + "t".repeat(33) + "\"")),
                Arguments.of("an ALT caption", record.replace("SHORT", "ALT")),
                Arguments.of("an unknown style", record.replace("SHORT", "MEDIUM")),
                Arguments.of("a blank caption", record.replace("\"a dog\"", "\" \"")),
                Arguments.of("captions that are not an object", record.replace("{\"SHORT\":\"a dog\"}", "\"a dog\"")),
                Arguments.of("metadata that is not an object", record.replace("{\"k\":1}", "[1]")),
                Arguments.of("a blank metadata name", record.replace("{\"k\":1}", "{\" \":1}")),
                Arguments.of("a line that is not an object", "[" + record + "]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpusRecordsThatBreakTheSchema")
    void corpusRecordsThatBreakTheSchemaAreRefusedByTheReaderToo(String breach, String line, @TempDir Path dir)
            throws IOException {
        assertThat(errors(RECORD, line)).as("schema errors for %s: %s", breach, line).isNotEmpty();
        Path file = dir.resolve(CorpusRecords.FILE_NAME);
        Files.writeString(file, line + "\n");
        List<CorpusRecords.LineError> refused = new ArrayList<>();

        List<CorpusRecord> records = CorpusRecords.readAll(file, refused::add);

        assertThat(records).as("reader on %s: %s", breach, line).isEmpty();
        assertThat(refused).as(breach).singleElement().extracting(CorpusRecords.LineError::line).isEqualTo(1);
    }

    @Test
    void theCorpusRecordSchemaIsDraft202012AndNamedAfterItsFile() {
        JsonNode schema = tree(RECORD);
        assertThat(schema.get("$schema").asString()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.get("$id").asString()).endsWith("/" + RECORD);
        assertThat(schema.at("/required").values()).extracting(JsonNode::asString).containsExactly("id", "image");
    }

    static Stream<String> schemaFiles() {
        return Stream.of(INGEST, REQUEST, RESULT);
    }

    private static List<String> errors(String schemaFile, String json) {
        return SCHEMA_BY_FILE.get(schemaFile).validate(json, InputFormat.JSON).stream()
                .map(Error::toString).toList();
    }

    private static JsonNode tree(String schemaFile) {
        return Json.mapper().readTree(read(schemaFile));
    }

    private static String read(String schemaFile) {
        try {
            return Files.readString(SCHEMAS.resolve(schemaFile));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The published schemas live at the repository root, not in this module: walk up to find them. */
    private static Path schemasDirectory() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("docs/schemas");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("docs/schemas not found above " + Path.of("").toAbsolutePath());
    }
}
