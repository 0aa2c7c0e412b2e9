package io.recap.generation.web;

import io.recap.core.image.PngCodec;
import io.recap.generation.inference.Generator;
import jakarta.validation.Valid;
import java.util.Base64;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /generate}: a prompt in; one PNG when one image is asked for and the client accepts
 * {@code image/png}, otherwise JSON with base64 PNGs, the seed, the model version and timings.
 */
@RestController
public class GenerateController {

    private final Generator generator;
    private final GenerateRequestValidator validator;

    GenerateController(Generator generator, GenerateRequestValidator validator) {
        this.generator = generator;
        this.validator = validator;
    }

    @PostMapping(path = "/generate", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = {MediaType.IMAGE_PNG_VALUE, MediaType.APPLICATION_JSON_VALUE})
    public ResponseEntity<?> generate(@Valid @RequestBody GenerateRequestBody body,
            @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
        long start = System.nanoTime();
        Generator.Generated generated = generator.generate(validator.validate(body));
        if (generated.images().size() == 1 && wantsPng(accept)) {
            return ResponseEntity.ok().contentType(MediaType.IMAGE_PNG)
                    .header("X-Recap-Seed", Long.toString(generated.seed()))
                    .header("X-Recap-Model", generated.model().toString())
                    .header("X-Recap-Prompt-Truncated", Boolean.toString(generated.promptTruncated()))
                    .body(PngCodec.encode(generated.images().get(0)));
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(new GenerateResponse(
                generated.images().stream().map(image -> Base64.getEncoder().encodeToString(PngCodec.encode(image))).toList(),
                generated.seed(),
                new GenerateResponse.Model(generated.model().name(), generated.model().version()),
                new GenerateResponse.Prompt(generated.promptTokens(), generated.promptTruncated()),
                new GenerateResponse.Timings((System.nanoTime() - start) / 1_000_000, generated.waitMs(),
                        generated.samplingMs(), generated.stepsPerSecond())));
    }

    /** PNG only when the client asks for it before (or instead of) JSON. */
    private static boolean wantsPng(String accept) {
        if (accept == null) {
            return false;
        }
        for (MediaType type : MediaType.parseMediaTypes(accept)) {
            if (type.equalsTypeAndSubtype(MediaType.IMAGE_PNG)) {
                return true;
            }
            if (type.equalsTypeAndSubtype(MediaType.APPLICATION_JSON)) {
                return false;
            }
        }
        return false;
    }
}
