package io.recap.generation.web;

import static io.recap.service.web.TestRequests.concat;
import static io.recap.service.web.TestRequests.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.recap.service.web.BadInput;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code POST /generate} fed one bad input after another: each is refused with the status named, as problem+json
 * with a reason, before any sampling starts, and the service goes on generating afterwards.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GenerateBadInputBatteryTests extends GenerationServiceIntegrationTest {

    private static final String JSON = "application/json";


    static Stream<Arguments> badRequests() {
        return Stream.of(
                // Not a JSON object of the right shape.
                json("malformed JSON", "{\"prompt\":", 400, "BAD_REQUEST"),
                probe("empty body", new byte[0], JSON, 400, "BAD_REQUEST"),
                json("JSON null", "null", 400, "BAD_REQUEST"),
                json("JSON array instead of an object", "[{\"prompt\":\"a red circle\"}]", 400, "BAD_REQUEST"),
                json("bare JSON string instead of an object", "\"a red circle\"", 400, "BAD_REQUEST"),
                json("raw control character inside a JSON string", "{\"prompt\":\"a red\u0001 circle\"}", 400,
                        "BAD_REQUEST"),
                probe("invalid UTF-8 bytes in JSON", concat(utf8("{\"prompt\":\"a red "), new byte[] {(byte) 0xC3, 0x28},
                        utf8("\"}")), JSON, 400, "BAD_REQUEST"),
                json("JSON nested 2000 levels deep", "{\"prompt\":\"a\",\"extra\":" + "[".repeat(2000)
                        + "]".repeat(2000) + "}", 400, "BAD_REQUEST"),
                json("body over the 64 KiB limit", "{\"prompt\":\"" + "x".repeat(70_000) + "\"}", 413,
                        "TOO_LARGE_BYTES"),
                // The prompt.
                json("missing prompt", "{\"steps\":4}", 400, "INVALID_FIELD"),
                json("empty object", "{}", 400, "INVALID_FIELD"),
                json("blank prompt", "{\"prompt\":\" \\t \"}", 400, "INVALID_FIELD"),
                json("prompt one character over the limit", "{\"prompt\":\"" + "x".repeat(2001) + "\"}", 400,
                        "INVALID_FIELD"),
                json("prompt as an object", "{\"prompt\":{\"text\":\"a red circle\"}}", 400, "BAD_REQUEST"),
                json("prompt as an array", "{\"prompt\":[\"a red circle\"]}", 400, "BAD_REQUEST"),
                // Numbers out of range or of the wrong type.
                json("steps zero", "{\"prompt\":\"a\",\"steps\":0}", 400, "INVALID_FIELD"),
                json("negative steps", "{\"prompt\":\"a\",\"steps\":-5}", 400, "INVALID_FIELD"),
                json("steps over the maximum", "{\"prompt\":\"a\",\"steps\":201}", 400, "INVALID_FIELD"),
                json("steps beyond an int", "{\"prompt\":\"a\",\"steps\":99999999999}", 400, "BAD_REQUEST"),
                json("steps NaN as a string", "{\"prompt\":\"a\",\"steps\":\"NaN\"}", 400, "BAD_REQUEST"),
                json("steps as a word", "{\"prompt\":\"a\",\"steps\":\"ten\"}", 400, "BAD_REQUEST"),
                json("count zero", "{\"prompt\":\"a\",\"count\":0}", 400, "INVALID_FIELD"),
                json("negative count", "{\"prompt\":\"a\",\"count\":-1}", 400, "INVALID_FIELD"),
                json("count over the maximum", "{\"prompt\":\"a\",\"count\":9}", 400, "INVALID_FIELD"),
                json("guidance NaN as a string", "{\"prompt\":\"a\",\"guidanceScale\":\"NaN\"}", 400, "INVALID_FIELD"),
                json("guidance Infinity as a string", "{\"prompt\":\"a\",\"guidanceScale\":\"Infinity\"}", 400,
                        "INVALID_FIELD"),
                json("negative guidance", "{\"prompt\":\"a\",\"guidanceScale\":-1}", 400, "INVALID_FIELD"),
                json("guidance beyond a float", "{\"prompt\":\"a\",\"guidanceScale\":1e39}", 400, "INVALID_FIELD"),
                json("seed as a word", "{\"prompt\":\"a\",\"seed\":\"lucky\"}", 400, "BAD_REQUEST"),
                json("seed beyond a long", "{\"prompt\":\"a\",\"seed\":1000000000000000000000000000000}", 400,
                        "BAD_REQUEST"),
                // Not JSON, or not a POST, or an answer the service cannot give.
                probe("text/plain body", utf8("prompt=a red circle"), "text/plain", 415, "UNSUPPORTED_MEDIA_TYPE"),
                probe("form-encoded body", utf8("prompt=a+red+circle"), "application/x-www-form-urlencoded", 415,
                        "UNSUPPORTED_MEDIA_TYPE"),
                probe("multipart body", utf8("--b\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\na\r\n--b--\r\n"),
                        "multipart/form-data; boundary=b", 415, "UNSUPPORTED_MEDIA_TYPE"),
                new BadInput("GET", null, null, null, 405, "METHOD_NOT_ALLOWED").named("GET instead of POST"),
                new BadInput("DELETE", null, null, null, 405, "METHOD_NOT_ALLOWED").named("DELETE instead of POST"),
                new BadInput("POST", JSON, "text/html", utf8("{\"prompt\":\"a red circle\",\"steps\":2}"), 406,
                        "NOT_ACCEPTABLE").named("accepting only text/html"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    @Order(1)
    void aBadRequestIsRefusedWithItsStatusAsProblemJsonWithAReason(BadInput probe) throws Exception {
        HttpResponse<String> response = send(probe);

        probe.assertRefused(response);
    }

    @Test
    @Order(2)
    void afterTheBatteryAValidPromptIsStillGeneratedByTheSameModel() throws Exception {
        HttpResponse<String> response = send(new BadInput("POST", JSON, JSON,
                utf8("{\"prompt\":\"a red circle\",\"steps\":2,\"seed\":5}"), 200, null));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"seed\":5", "\"name\":\"test-t2i\"", "\"version\":\"v1\"");
    }

    private HttpResponse<String> send(BadInput probe) throws Exception {
        return probe.sendTo(URI.create("http://127.0.0.1:" + port + "/generate"));
    }

    private static Arguments json(String name, String json, int status, String reason) {
        return probe(name, utf8(json), JSON, status, reason);
    }

    private static Arguments probe(String name, byte[] body, String contentType, int status, String reason) {
        return new BadInput("POST", contentType, null, body, status, reason).named(name);
    }

}
