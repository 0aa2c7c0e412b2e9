package io.recap.core.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.recap.core.corpus.CorpusRecords.LineError;
import io.recap.core.corpus.CorpusRecords.Problem;
import io.recap.core.domain.CaptionStyle;
import io.recap.core.domain.ImageRef;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CorpusRecordsTest {

    @TempDir
    Path dir;

    /** Something a world keeps in metadata that is not a JSON value yet, as a ShapesWorld scene is. */
    record Thing(String name, Kind kind, List<Integer> sizes) {
    }

    enum Kind { ROUND, SQUARE }

    @Test
    void aRecordWithOnlyIdAndImageIsTrainingDataWithoutAltTextCaptionsOrMetadata() {
        CorpusRecord record = new CorpusRecord("a", "a.png", null, null);

        assertThat(record.altText()).isEmpty();
        assertThat(record.split()).isEqualTo("train").isEqualTo(CorpusRecord.DEFAULT_SPLIT);
        assertThat(record.captions()).isEmpty();
        assertThat(record.metadata()).isEmpty();
        assertThat(CorpusRecords.line(record)).isEqualTo("{\"id\":\"a\",\"image\":\"a.png\",\"altText\":\"\","
                + "\"split\":\"train\"}");
    }

    @Test
    void imagesMayBeRelativePathsOrFileAndTarUris() {
        for (String image : List.of("images/000001.png", "./a:b.png", "../elsewhere/x.jpg", "file:/data/a.png",
                "FILE:///data/a.png", "file:rel/a.png", "tar:file:00000.tar!/k.jpg?offset=512&length=10",
                ImageRef.tarMember("file:/data/s.tar", "dir/a b?.png", 1536, 7).uri())) {
            assertThat(new CorpusRecord("a", image, "", "eval").image()).isEqualTo(image);
        }
    }

    static Stream<Arguments> refusedRecords() {
        Map<CaptionStyle, String> alt = Map.of(CaptionStyle.ALT, "alt");
        Map<CaptionStyle, String> blank = Map.of(CaptionStyle.SHORT, " ");
        Map<CaptionStyle, String> nullCaption = new HashMap<>();
        nullCaption.put(CaptionStyle.LONG, null);
        return Stream.of(
                Arguments.of(new Object[] {null, "a.png", null, null, null}, "id is required"),
                Arguments.of(new Object[] {" ", "a.png", null, null, null}, "id is required"),
                Arguments.of(new Object[] {"a\u0007", "a.png", null, null, null}, "id contains a control character"),
                Arguments.of(new Object[] {"a", null, null, null, null}, "image is required"),
                Arguments.of(new Object[] {"a", "a\n.png", null, null, null}, "image contains a control character"),
                Arguments.of(new Object[] {"a", "/data/a.png", null, null, null}, "is an absolute path"),
                Arguments.of(new Object[] {"a", "http://example.com/a.png", null, null, null}, "not a http: URI"),
                Arguments.of(new Object[] {"a", "s3://bucket/a.png", null, null, null}, "not a s3: URI"),
                Arguments.of(new Object[] {"a", "file://", null, null, null}, "image: file uri has no path"),
                Arguments.of(new Object[] {"a", "tar:file:s.tar!/a.png", null, null, null}, "image: tar uri needs"),
                Arguments.of(new Object[] {"a", "a.png", null, "Train", null}, "split 'Train' must be a short"),
                Arguments.of(new Object[] {"a", "a.png", null, "", null}, "split '' must be a short"),
                Arguments.of(new Object[] {"a", "a.png", null, "x".repeat(33), null}, "must be a short"),
                Arguments.of(new Object[] {"a", "a.png", null, null, alt}, "the alt-text goes in altText"),
                Arguments.of(new Object[] {"a", "a.png", null, null, blank}, "SHORT caption is required"),
                Arguments.of(new Object[] {"a", "a.png", null, null, nullCaption}, "captions must not contain null"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("refusedRecords")
    @SuppressWarnings("unchecked")
    void invalidRecordsAreRefusedSayingWhichFieldIsWrong(Object[] fields, String message) {
        assertThatThrownBy(() -> new CorpusRecord((String) fields[0], (String) fields[1], (String) fields[2],
                (String) fields[3], (Map<CaptionStyle, String>) fields[4], null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void metadataMustBeJsonUnderNonBlankNames() {
        assertThatThrownBy(() -> new CorpusRecord("a", "a.png", "", null, null, Map.of(" ", 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a metadata key is required");
        assertThatThrownBy(() -> new CorpusRecord("a", "a.png", "", null, null, Map.of("x", Double.NaN)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metadata.x is NaN");
        assertThatThrownBy(() -> new CorpusRecord("a", "a.png", "", null, null,
                Map.of("x", Map.of("y", List.of(1, Double.POSITIVE_INFINITY)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metadata.x.y[1] is Infinity");
        assertThatThrownBy(() -> new CorpusRecord("a", "a.png", "", null, null, Map.of("x", Map.of(1, "one"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metadata.x has a key that is not");
    }

    @Test
    void captionsAndMetadataAreImmutableCopiesAllTheWayDown() {
        Map<CaptionStyle, String> captions = new EnumMap<>(CaptionStyle.class);
        captions.put(CaptionStyle.LONG, "long");
        List<Object> list = new ArrayList<>(List.of(1, 2));
        Map<String, Object> nested = new LinkedHashMap<>(Map.of("list", list));
        Map<String, Object> metadata = new LinkedHashMap<>(Map.of("nested", nested));
        CorpusRecord record = new CorpusRecord("a", "a.png", "", null, captions, metadata);

        captions.put(CaptionStyle.SHORT, "short");
        list.add(3);
        metadata.put("late", true);

        assertThat(record.captions()).containsOnlyKeys(CaptionStyle.LONG);
        assertThat(record.metadata()).isEqualTo(Map.of("nested", Map.of("list", List.of(1L, 2L))));
        assertThatThrownBy(() -> record.captions().put(CaptionStyle.SHORT, "x"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> record.metadata().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> frozen = (Map<String, Object>) record.metadata().get("nested");
        assertThatThrownBy(() -> frozen.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((List<?>) frozen.get("list")).clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void writtenRecordsReadBackEqualWithTheirLineNumbers() throws IOException {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("index", 7);
        metadata.put("sceneSeed", -4_390_129_871_235L);
        metadata.put("big", new BigInteger("123456789012345678901234567890"));
        metadata.put("ratio", 0.25f);
        metadata.put("thing", new Thing("disc", Kind.ROUND, List.of(3, 5)));
        metadata.put("missing", null);
        List<CorpusRecord> records = List.of(
                new CorpusRecord("sw-s42-000007", "images/000007.png", "stock photo 7", "human",
                        Map.of(CaptionStyle.SHORT, "A red circle.", CaptionStyle.LONG, "A large red circle."), metadata),
                new CorpusRecord("Ünïcode photo (1)", "file:/data/photo 1.jpg", "alt-text may hold \"quotes\", a\n"
                        + "newline, a \r carriage return, a \u2028 line separator and 🚋", "eval"),
                new CorpusRecord("shard/k", "tar:file:00000.tar!/k.jpg?offset=512&length=10", "", null));
        Path file = dir.resolve("nested/" + CorpusRecords.FILE_NAME);

        try (CorpusRecords.Writer writer = CorpusRecords.writer(file)) {
            for (CorpusRecord record : records) {
                writer.write(record);
            }
            assertThat(writer.count()).isEqualTo(3);
        }
        List<Integer> lines = new ArrayList<>();
        List<CorpusRecord> read = new ArrayList<>();
        List<LineError> errors = new ArrayList<>();
        CorpusRecords.read(file, (line, record) -> {
            lines.add(line);
            read.add(record);
        }, errors::add);

        assertThat(errors).isEmpty();
        assertThat(read).isEqualTo(records);
        assertThat(lines).containsExactly(1, 2, 3);
        assertThat(Files.readAllLines(file)).hasSize(3);
        assertThat(read.get(0).metadata().get("thing")).isEqualTo(Map.of("name", "disc", "kind", "ROUND",
                "sizes", List.of(3L, 5L)));
        assertThat(Files.readAllLines(file).get(0)).startsWith("{\"id\":\"sw-s42-000007\",\"image\":\"images/000007.png\","
                + "\"altText\":\"stock photo 7\",\"split\":\"human\",\"captions\":{\"SHORT\":\"A red circle.\","
                + "\"LONG\":\"A large red circle.\"},\"metadata\":{\"index\":7,\"sceneSeed\":-4390129871235,");
    }

    @Test
    void badLinesAreReportedWithTheirNumberAndTheRestIsRead() throws IOException {
        Path file = dir.resolve(CorpusRecords.FILE_NAME);
        Files.writeString(file, "\uFEFF" + """
                {"id":"a","image":"a.png","altText":"first"}

                {"id":"b","image":"b.png"
                ["not", "an", "object"]
                {"image":"no-id.png","text":"a plain JSONL manifest line"}
                {"id":"no-image","altText":"x"}
                {"id":"   ","image":"blank-id.png"}
                {"id":"null-image","image":null}
                {"id":"alt","image":"alt.png","captions":{"ALT":"no"}}
                {"id":"style","image":"style.png","captions":{"MEDIUM":"no"}}
                {"id":"typed","image":"typed.png","captions":"a string"}
                {"id":"abs","image":"/etc/passwd"}
                {"id":"web","image":"https://example.com/a.png"}
                {"id":"split","image":"s.png","split":"Validation"}
                {"id":42,"image":"number-id.png"}
                {"id":"last","image":"last.png","captions":{"short":"lower-case styles are read"},"licence":"CC-BY"}
                """, StandardCharsets.UTF_8);
        List<LineError> errors = new ArrayList<>();

        List<CorpusRecord> records = CorpusRecords.readAll(file, errors::add);

        assertThat(records).extracting(CorpusRecord::id).containsExactly("a", "42", "last");
        assertThat(records.get(2).captions()).containsExactly(Map.entry(CaptionStyle.SHORT, "lower-case styles are read"));
        assertThat(errors).extracting(LineError::line, LineError::problem, LineError::id, LineError::image).containsExactly(
                tuple(3, Problem.MALFORMED_LINE, null, null),
                tuple(4, Problem.MALFORMED_LINE, null, null),
                tuple(5, Problem.MISSING_FIELD, null, "no-id.png"),
                tuple(6, Problem.MISSING_FIELD, "no-image", null),
                tuple(7, Problem.MISSING_FIELD, "   ", "blank-id.png"),
                tuple(8, Problem.MISSING_FIELD, "null-image", null),
                tuple(9, Problem.INVALID_FIELD, "alt", "alt.png"),
                tuple(10, Problem.INVALID_FIELD, "style", "style.png"),
                tuple(11, Problem.INVALID_FIELD, "typed", "typed.png"),
                tuple(12, Problem.INVALID_FIELD, "abs", "/etc/passwd"),
                tuple(13, Problem.INVALID_FIELD, "web", "https://example.com/a.png"),
                tuple(14, Problem.INVALID_FIELD, "split", "s.png"));
        assertThat(errors.get(1).detail()).isEqualTo("a line must be a JSON object, not array");
        assertThat(errors.get(2).detail()).contains("the record has no 'id'", "read as corpus records");
        assertThat(errors.get(3).detail()).isEqualTo("the record has no 'image'");
        assertThat(errors.get(6).detail()).contains("the alt-text goes in altText");
        assertThat(errors.get(9).detail()).contains("is an absolute path");
    }

    @Test
    void aManifestThatIsNotUtf8IsRefusedAsAWholeNamingTheLine() throws IOException {
        Path file = dir.resolve(CorpusRecords.FILE_NAME);
        Files.write(file, "{\"id\":\"a\",\"image\":\"a.png\"}\n{\"id\":\"caf\u00e9\",\"image\":\"b.png\"}\n"
                .getBytes(StandardCharsets.ISO_8859_1));

        assertThatThrownBy(() -> CorpusRecords.readAll(file, error -> { }))
                .isInstanceOf(IOException.class).hasMessageContaining("(at line 2): it is not UTF-8");
        assertThatThrownBy(() -> CorpusRecords.readAll(dir.resolve("absent.jsonl"), error -> { }))
                .isInstanceOf(IOException.class).hasMessageContaining("cannot read");
    }
}
