package io.recap.caption.web;

import static io.recap.service.web.TestRequests.concat;
import static io.recap.service.web.TestRequests.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.recap.caption.TestCaptioners;
import io.recap.caption.inference.CaptionRequestHandler;
import io.recap.service.web.BadInput;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@code POST /caption} fed one bad input after another: each is refused with the status named, as problem+json
 * with a reason, and the service goes on captioning afterwards with nothing held.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CaptionBadInputBatteryTests extends CaptionServiceIntegrationTest {

    private static final String BOUNDARY = "battery-boundary-7d1f";
    private static final String JSON = "application/json";
    private static final String MULTIPART = "multipart/form-data; boundary=" + BOUNDARY;

    @Autowired
    CaptionRequestHandler handler;


    static Stream<Arguments> badRequests() {
        byte[] png = TestCaptioners.samplePng();
        byte[] wrongMagic = png.clone();
        wrongMagic[1] = 'Q';
        return Stream.of(
                // Images that are not what they claim to be.
                upload("empty image part", multipart(new byte[0], "both", null), 400, "EMPTY"),
                upload("plain text instead of an image", multipart(utf8("hello, not an image"), "both", null), 415,
                        "UNSUPPORTED_FORMAT"),
                upload("PNG with a wrong magic byte", multipart(wrongMagic, "both", null), 415, "UNSUPPORTED_FORMAT"),
                upload("PNG cut in half", multipart(Arrays.copyOf(png, png.length / 2), "both", null), 422,
                        "TRUNCATED"),
                upload("PNG signature and nothing else", multipart(Arrays.copyOf(png, 8), "both", null), 422,
                        "TRUNCATED"),
                upload("PNG declaring a zero-size image", multipart(pngHeader(0, 0), "both", null), 422, "CORRUPT"),
                upload("PNG header declaring 50000x50000 pixels", multipart(pngHeader(50_000, 50_000), "both", null),
                        413, "TOO_MANY_PIXELS"),
                upload("JPEG start marker and nothing else",
                        multipart(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}, "both", null), 422, "TRUNCATED"),
                upload("30 MB upload over the body limit", multipart(new byte[30 * 1024 * 1024], "both", null), 413,
                        "TOO_LARGE_BYTES"),
                // Multipart requests that are not well formed.
                upload("multipart without the image part", multipartFields("style", "both"), 400, "BAD_REQUEST"),
                probe("multipart body that never closes its boundary",
                        utf8("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"x.png\""
                                + "\r\nContent-Type: image/png\r\n\r\nabc"), MULTIPART, 400, "MALFORMED_MULTIPART"),
                probe("multipart content type without a boundary", multipart(png, "both", null),
                        "multipart/form-data", 400, "MALFORMED_MULTIPART"),
                upload("unknown style", multipart(png, "poetic", null), 400, "INVALID_FIELD"),
                upload("10,000-character style", multipart(png, "s".repeat(10_000), null), 400, "INVALID_FIELD"),
                upload("style with control characters", multipart(png, "sh\u0000o\u0007rt", null), 400,
                        "INVALID_FIELD"),
                upload("beam size that is not a number", multipart(png, "both", "wide"), 400, "BAD_REQUEST"),
                upload("beam size zero", multipart(png, "both", "0"), 400, "INVALID_ARGUMENT"),
                upload("negative beam size", multipart(png, "both", "-3"), 400, "INVALID_ARGUMENT"),
                // JSON requests.
                json("malformed JSON", "{\"imageBase64\":", 400, "BAD_REQUEST"),
                probe("empty JSON body", new byte[0], JSON, 400, "BAD_REQUEST"),
                json("JSON null", "null", 400, "BAD_REQUEST"),
                json("JSON array instead of an object", "[]", 400, "BAD_REQUEST"),
                json("missing imageBase64", "{\"style\":\"short\"}", 400, "INVALID_FIELD"),
                json("empty imageBase64", "{\"imageBase64\":\"\"}", 400, "INVALID_FIELD"),
                json("imageBase64 that is not base64", "{\"imageBase64\":\"!!!not base64!!!\"}", 400,
                        "INVALID_FIELD"),
                json("imageBase64 as a data URL", "{\"imageBase64\":\"data:image/png;base64,"
                        + Base64.getEncoder().encodeToString(png) + "\"}", 400, "INVALID_FIELD"),
                json("base64 of text instead of an image", "{\"imageBase64\":\""
                        + Base64.getEncoder().encodeToString(utf8("not an image")) + "\"}", 415, "UNSUPPORTED_FORMAT"),
                json("imageBase64 of the wrong type", "{\"imageBase64\":{\"png\":true}}", 400, "BAD_REQUEST"),
                probe("beam size over the maximum", jsonImage(png, "\"beamSize\":99"), JSON, 400, "INVALID_ARGUMENT"),
                probe("beam size NaN as a string", jsonImage(png, "\"beamSize\":\"NaN\""), JSON, 400, "BAD_REQUEST"),
                probe("beam size beyond an int", jsonImage(png, "\"beamSize\":99999999999999999999"), JSON, 400,
                        "BAD_REQUEST"),
                probe("unknown style in JSON", jsonImage(png, "\"style\":\"haiku\""), JSON, 400, "INVALID_FIELD"),
                json("raw control character inside a JSON string", "{\"style\":\"sh\u0001ort\"}", 400,
                        "BAD_REQUEST"),
                probe("invalid UTF-8 bytes in JSON", concat(utf8("{\"style\":\""), new byte[] {(byte) 0xC3, 0x28},
                        utf8("\"}")), JSON, 400, "BAD_REQUEST"),
                // Neither JSON nor multipart, or not a POST.
                probe("text/plain body", utf8("an image, honestly"), "text/plain", 415, "UNSUPPORTED_MEDIA_TYPE"),
                probe("image/png body without multipart", png, "image/png", 415, "UNSUPPORTED_MEDIA_TYPE"),
                new BadInput("GET", null, null, null, 405, "METHOD_NOT_ALLOWED").named("GET instead of POST"),
                new BadInput("PUT", JSON, null, jsonImage(png, ""), 405, "METHOD_NOT_ALLOWED").named("PUT instead of POST"),
                new BadInput("POST", JSON, "image/png", jsonImage(png, ""), 406, "NOT_ACCEPTABLE")
                        .named("accepting only image/png"));
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
    void afterTheBatteryAGoodImageIsStillCaptionedByTheSameModelAndNoDecodingIsHeld() throws Exception {
        HttpResponse<String> multipart = send(new BadInput("POST", MULTIPART, null,
                multipart(TestCaptioners.samplePng(), "short", null), 200, null));
        HttpResponse<String> json = send(new BadInput("POST", JSON, null,
                jsonImage(TestCaptioners.samplePng(), "\"style\":\"long\""), 200, null));

        assertThat(multipart.statusCode()).as(multipart.body()).isEqualTo(200);
        assertThat(multipart.body()).contains("\"short\":", "\"version\":\"v1\"");
        assertThat(json.statusCode()).as(json.body()).isEqualTo(200);
        assertThat(json.body()).contains("\"long\":");
        assertThat(handler.decodeBudget().inUse()).isZero();
    }

    private HttpResponse<String> send(BadInput probe) throws Exception {
        return probe.sendTo(URI.create("http://127.0.0.1:" + port + "/caption"));
    }

    private static Arguments upload(String name, byte[] multipartBody, int status, String reason) {
        return probe(name, multipartBody, MULTIPART, status, reason);
    }

    private static Arguments json(String name, String json, int status, String reason) {
        return probe(name, utf8(json), JSON, status, reason);
    }

    private static Arguments probe(String name, byte[] body, String contentType, int status, String reason) {
        return new BadInput("POST", contentType, null, body, status, reason).named(name);
    }

    /** A multipart body with an image part and the given style and (when not null) beam size. */
    private static byte[] multipart(byte[] image, String style, String beamSize) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(utf8("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"x.png\""
                + "\r\nContent-Type: image/png\r\n\r\n"));
        body.writeBytes(image);
        body.writeBytes(utf8("\r\n"));
        body.writeBytes(fields("style", style));
        if (beamSize != null) {
            body.writeBytes(fields("beamSize", beamSize));
        }
        body.writeBytes(utf8("--" + BOUNDARY + "--\r\n"));
        return body.toByteArray();
    }

    private static byte[] multipartFields(String name, String value) {
        return concat(fields(name, value), utf8("--" + BOUNDARY + "--\r\n"));
    }

    private static byte[] fields(String name, String value) {
        return utf8("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value
                + "\r\n");
    }

    private static byte[] jsonImage(byte[] image, String moreFields) {
        return utf8("{\"imageBase64\":\"" + Base64.getEncoder().encodeToString(image) + "\""
                + (moreFields.isEmpty() ? "" : "," + moreFields) + "}");
    }

    /** A PNG signature and an IHDR (with a valid CRC) declaring {@code width} × {@code height}, and no pixels. */
    private static byte[] pngHeader(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put(utf8("IHDR")).putInt(width).putInt(height).put((byte) 8).put((byte) 2).put((byte) 0)
                .put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        ByteBuffer png = ByteBuffer.allocate(8 + 4 + 17 + 4);
        png.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}).putInt(13).put(ihdr.array())
                .putInt((int) crc.getValue());
        return png.array();
    }

}
