package io.recap.orchestrator.web;

import io.recap.core.domain.CaptionStyle;
import io.recap.orchestrator.catalog.CaptionBrowser;
import io.recap.orchestrator.catalog.CaptionedImagePage;
import io.recap.orchestrator.catalog.CatalogRepository;
import io.recap.service.web.InvalidFieldException;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /corpora/{id}/images}: the images with their alt-text and one captioner version's captions, a page at a
 * time (the console's caption browser), and {@code /corpora/{id}/image}: one image's file.
 */
@RestController
@RequestMapping("/corpora/{corpusId}")
public class CorpusImagesController {

    private final CaptionBrowser browser;

    public CorpusImagesController(CaptionBrowser browser) {
        this.browser = browser;
    }

    /**
     * Images after {@code after} in id order, with {@code captioner}'s captions, those that have ({@code has}) or
     * lack ({@code lacks}) a style by it, have a relabel {@code failure} by it (a code, or {@code any}), or hold
     * {@code q} in their alt-text or its captions; {@code next} in the answer is the next page's {@code after}.
     */
    @GetMapping("/images")
    public CaptionedImagePage images(@PathVariable String corpusId,
            @RequestParam(required = false) String captioner, @RequestParam(required = false) String has,
            @RequestParam(required = false) String lacks, @RequestParam(required = false) String failure,
            @RequestParam(required = false) String q, @RequestParam(required = false) String after,
            @RequestParam(defaultValue = "24") @Min(value = 1, message = "size must be 1..200 but was ${validatedValue}")
            @Max(value = 200, message = "size must be 1..200 but was ${validatedValue}") int size) {
        CatalogRepository.ImageFilter filter = new CatalogRepository.ImageFilter(
                blank(captioner) ? null : CorpusController.captionerRef(captioner).toString(), style("has", has),
                style("lacks", lacks), blank(failure) ? null : failure.trim(), blank(q) ? null : q.trim());
        try {
            return browser.page(corpusId, filter, blank(after) ? null : after, size);
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException("captioner", e.getMessage());
        }
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    private static CaptionStyle style(String param, String text) {
        try {
            return blank(text) ? null : CaptionStyle.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException(param, param + ": " + e.getMessage());
        }
    }

    /** The image's bytes; its id goes as a parameter since ids may hold slashes. */
    @GetMapping("/image")
    public ResponseEntity<byte[]> image(@PathVariable String corpusId, @RequestParam String imageId) {
        CaptionBrowser.ImageFile file = browser.image(corpusId, imageId);
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(file.mediaType()))
                .cacheControl(CacheControl.noStore()).body(file.bytes());
    }
}
