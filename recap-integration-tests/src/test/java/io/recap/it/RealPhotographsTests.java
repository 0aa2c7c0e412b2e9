package io.recap.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.recap.core.domain.ModelRef;
import io.recap.core.image.ImageDecoder;
import io.recap.service.security.TestApiKeys;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 18, real photographs (JPEG, PNG, grey PNG, WebP, a sideways JPEG with its EXIF orientation, a truncated JPEG:
 * {@code src/test/resources/photos}) laid out in each corpus format, through the real services: ingested by
 * {@code POST /corpora/{id}/ingest}, captioned by a RELABEL job on a real relabel worker, and exported back in the
 * corpus's own shape, checked image by image.
 */
@PlatformBroker
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealPhotographsTests {

    /** File name → alt-text, as a photo site would have it. */
    private static final Map<String, String> PHOTOS = new LinkedHashMap<>();

    static {
        PHOTOS.put("chelsea.png", "IMG_2041.PNG");
        PHOTOS.put("chelsea-exif6.jpg", "cat on the sofa (phone)");
        PHOTOS.put("rocket.jpg", "launch day");
        PHOTOS.put("astronaut.jpg", "");
        PHOTOS.put("coffee.webp", "coffee, Pikolo");
        PHOTOS.put("camera.png", "b&w");
        PHOTOS.put("truncated.jpg", "upload failed?");
    }

    private static final String BAD = "truncated";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    RecapPlatform platform;
    ModelRef captioner;

    @BeforeAll
    void startPlatform(EmbeddedKafkaBroker broker, @TempDir Path tempDir) throws Exception {
        platform = new RecapPlatform(broker.getBrokersAsString(), tempDir);
        platform.startOrchestrator();
        captioner = platform.publishShippedCaptioner();
        platform.startWorker();
    }

    @AfterAll
    void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void theSidewaysJpegDecodesUprightAsThePngItWasMadeFrom() throws Exception {
        ImageDecoder decoder = new ImageDecoder();
        BufferedImage png = decoder.decode(photo("chelsea.png")).image();
        BufferedImage jpeg = decoder.decode(photo("chelsea-exif6.jpg")).image();
        assertThat(jpeg.getWidth()).isEqualTo(png.getWidth());
        assertThat(jpeg.getHeight()).isEqualTo(png.getHeight());
        // JPEG is lossy: compare the mean colour of the top-left and bottom-right quarters, which a wrong turn swaps.
        for (int[] corner : new int[][] {{0, 0}, {1, 1}}) {
            int[] a = meanRgb(png, corner[0], corner[1]);
            int[] b = meanRgb(jpeg, corner[0], corner[1]);
            for (int c = 0; c < 3; c++) {
                assertThat(Math.abs(a[c] - b[c])).as("channel %d of quarter %s", c, List.of(corner[0], corner[1]))
                        .isLessThan(12);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sidecar", "imagefolder", "jsonl", "csv", "webdataset"})
    void photographsInEachFormatAreIngestedCaptionedAndExportedImageByImage(String format) throws Exception {
        String corpus = "photos-" + format;
        Path dir = layOut(format, platform.imageRoot().resolve(corpus));

        HttpResponse<String> ingest = platform.post("/corpora/" + corpus + "/ingest",
                "{\"manifestDir\":\"" + corpus + "\",\"format\":\"" + format + "\"}");
        assertThat(ingest.statusCode()).as(ingest.body()).isEqualTo(202);
        JsonNode receipt = RecapPlatform.json(ingest);
        assertThat(receipt.get("format").asString()).isEqualTo(format);
        assertThat(receipt.get("images").asInt()).as(ingest.body()).isEqualTo(PHOTOS.size());
        assertThat(receipt.get("errorCount").asInt()).isZero();
        await().atMost(Duration.ofSeconds(60)).until(() -> platform.get("/corpora/" + corpus).statusCode() == 200
                && platform.getJson("/corpora/" + corpus).get("imageCount").asInt() == PHOTOS.size());

        String jobId = platform.submit("{\"kind\":\"RELABEL\",\"spec\":{\"corpusId\":\"" + corpus
                + "\",\"captioner\":\"" + captioner + "\",\"styles\":[\"SHORT\",\"LONG\"]}}");
        JsonNode job = platform.awaitTerminal(jobId, Duration.ofMinutes(2));
        assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        JsonNode failures = platform.getJson("/corpora/" + corpus + "/failures?captioner=" + captioner);
        assertThat(failures.get("total").asInt()).as(failures.toString()).isEqualTo(1);
        assertThat(failures.at("/failures/0/imageId").asString()).isEqualTo(id(format, BAD));
        String code = failures.at("/failures/0/code").asString();
        assertThat(code).isNotBlank();

        switch (format) {
            case "sidecar" -> {
                Map<String, byte[]> members = TarFiles.untar(export(corpus, "sidecar"));
                for (String file : good()) {
                    String name = id(format, stem(file));
                    assertThat(Files.exists(dir.resolve(name + ext(file)))).as("the text lands beside " + file).isTrue();
                    assertThat(utf8(members.get(name + ".short.txt"))).as(file).isNotBlank();
                    assertThat(utf8(members.get(name + ".long.txt"))).as(file).isNotBlank();
                }
                assertThat(members.keySet()).noneMatch(n -> n.startsWith(id(format, BAD)));
            }
            case "webdataset" -> {
                Map<String, byte[]> members = TarFiles.untar(export(corpus, "webdataset"));
                for (String file : good()) {
                    String key = id(format, stem(file));
                    assertThat(members.get(key + ext(file))).as("the image comes back byte for byte: " + file)
                            .isEqualTo(photo(file));
                    assertThat(utf8(members.get(key + ".txt"))).isNotBlank();
                    JsonNode json = JSON.readTree(members.get(key + ".json"));
                    assertThat(json.get("alt_text").asString()).isEqualTo(PHOTOS.get(file));
                    assertThat(json.at("/captions/short").asString()).isNotBlank();
                }
                assertThat(members.keySet()).noneMatch(n -> n.startsWith(id(format, BAD) + "."));
            }
            default -> {
                Map<String, JsonNode> rows = new LinkedHashMap<>();
                for (String line : utf8(export(corpus, "metadata-jsonl")).split("\n")) {
                    JsonNode row = JSON.readTree(line);
                    rows.put(row.get("file_name").asString(), row);
                }
                assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(
                        good().stream().map(file -> id(format, stem(file)) + ext(file)).toList());
                for (String file : good()) {
                    JsonNode row = rows.get(id(format, stem(file)) + ext(file));
                    assertThat(Files.exists(dir.resolve(row.get("file_name").asString())))
                            .as("file_name names the user's own file").isTrue();
                    assertThat(row.get("alt_text").asString()).isEqualTo(PHOTOS.get(file));
                    assertThat(row.get("text").asString()).isEqualTo(row.get("long_caption").asString()).isNotBlank();
                    assertThat(row.get("short_caption").asString()).isNotBlank();
                }
            }
        }
        JsonNode summary = platform.getJson("/corpora/" + corpus + "/exports/" + lastExportId);
        assertThat(summary.get("exported").asInt()).isEqualTo(PHOTOS.size() - 1);
        assertThat(summary.get("skippedByReason").get("FAILED:" + code).asInt()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ layouts

    /** The photos in one format's shape under {@code dir}; two of them in a subfolder where the format has folders. */
    private static Path layOut(String format, Path dir) throws IOException {
        Files.createDirectories(dir);
        switch (format) {
            case "sidecar" -> {
                for (String file : PHOTOS.keySet()) {
                    Path image = dir.resolve(id(format, stem(file)) + ext(file));
                    Files.createDirectories(image.getParent());
                    Files.write(image, photo(file));
                    Files.writeString(image.resolveSibling(stem(file) + ".txt"), PHOTOS.get(file));
                }
            }
            case "imagefolder", "jsonl", "csv" -> {
                StringBuilder manifest = new StringBuilder(format.equals("csv") ? "image,text\n" : "");
                for (String file : PHOTOS.keySet()) {
                    String relative = id(format, stem(file)) + ext(file);
                    Path image = dir.resolve(relative);
                    Files.createDirectories(image.getParent());
                    Files.write(image, photo(file));
                    String alt = PHOTOS.get(file);
                    manifest.append(switch (format) {
                        case "imagefolder" -> JSON.writeValueAsString(Map.of("file_name", relative, "text", alt));
                        case "jsonl" -> JSON.writeValueAsString(Map.of("image", relative, "text", alt));
                        default -> relative + ",\"" + alt.replace("\"", "\"\"") + "\"";
                    }).append('\n');
                }
                Files.writeString(dir.resolve(switch (format) {
                    case "imagefolder" -> "metadata.jsonl";
                    case "jsonl" -> "photos.jsonl";
                    default -> "photos.csv";
                }), manifest);
            }
            case "webdataset" -> {
                try (OutputStream file = Files.newOutputStream(dir.resolve("00000.tar"));
                        TarArchiveOutputStream tar = new TarArchiveOutputStream(file)) {
                    for (String photo : PHOTOS.keySet()) {
                        TarFiles.put(tar, stem(photo) + ext(photo), photo(photo));
                        TarFiles.put(tar, stem(photo) + ".txt", PHOTOS.get(photo).getBytes(StandardCharsets.UTF_8));
                        TarFiles.put(tar, stem(photo) + ".json", JSON.writeValueAsBytes(Map.of("url", "https://example.org/"
                                + photo, "key", stem(photo))));
                    }
                }
            }
            default -> throw new IllegalArgumentException(format);
        }
        return dir;
    }

    /**
     * The image id a format gives a photo: two photos sit in {@code trip/} where the format has folders; a WebDataset
     * sample's id is its shard and key.
     */
    private static String id(String format, String stem) {
        if (format.equals("webdataset")) {
            return "00000/" + stem;
        }
        return stem.equals("rocket") || stem.equals("coffee") ? "trip/" + stem : stem;
    }

    private static List<String> good() {
        return PHOTOS.keySet().stream().filter(file -> !stem(file).equals(BAD)).toList();
    }

    private static String stem(String file) {
        return file.substring(0, file.lastIndexOf('.'));
    }

    private static String ext(String file) {
        return file.substring(file.lastIndexOf('.'));
    }

    private static byte[] photo(String file) throws IOException {
        try (InputStream in = RealPhotographsTests.class.getResourceAsStream("/photos/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing test photo " + file);
            }
            return in.readAllBytes();
        }
    }

    // ------------------------------------------------------------------ export

    private String lastExportId;

    private byte[] export(String corpus, String format) throws Exception {
        HttpResponse<byte[]> response = HTTP.send(TestApiKeys.request(platform.uri(
                        "/corpora/" + corpus + "/export?format=" + format + "&captioner=" + captioner)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(utf8(response.body())).isEqualTo(200);
        lastExportId = response.headers().firstValue("Recap-Export-Id").orElseThrow();
        return response.body();
    }

    private static String utf8(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }

    private static int[] meanRgb(BufferedImage image, int quarterX, int quarterY) {
        int w = image.getWidth() / 2;
        int h = image.getHeight() / 2;
        long[] sum = new long[3];
        for (int y = quarterY * h; y < (quarterY + 1) * h; y++) {
            for (int x = quarterX * w; x < (quarterX + 1) * w; x++) {
                int rgb = image.getRGB(x, y);
                sum[0] += (rgb >> 16) & 0xff;
                sum[1] += (rgb >> 8) & 0xff;
                sum[2] += rgb & 0xff;
            }
        }
        long n = (long) w * h;
        return new int[] {(int) (sum[0] / n), (int) (sum[1] / n), (int) (sum[2] / n)};
    }
}
