package io.recap.orchestrator.catalog;

import io.recap.core.domain.CaptionStyle;
import io.recap.core.domain.ImageRef;
import io.recap.core.image.ImageLimits;
import io.recap.core.store.AllowedRoots;
import io.recap.core.store.LocalImageBytes;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Map;

/**
 * A corpus's images a page at a time with their alt-text and one captioner version's captions side by side (the
 * console's caption browser), and one image's bytes. Pages go by image id ({@code after} the last one shown), so a
 * page costs the same at the start and at the end of a large corpus.
 */
public class CaptionBrowser {

    private final CatalogRepository repository;
    private final AllowedRoots imageRoots;

    public CaptionBrowser(CatalogRepository repository, AllowedRoots imageRoots) {
        this.repository = repository;
        this.imageRoots = imageRoots;
    }

    /**
     * @param filter which images, and whose captions to show ({@code filter.captioner()}; null for the alt-text
     *        alone, and then no caption or failure condition)
     * @throws IllegalArgumentException for a caption or failure condition without a captioner
     */
    public CaptionedImagePage page(String corpusId, CatalogRepository.ImageFilter filter, String after, int size) {
        if (!repository.corpusExists(corpusId)) {
            throw new CorpusNotFoundException(corpusId);
        }
        if (filter.captioner() == null && (filter.has() != null || filter.lacks() != null || filter.failure() != null)) {
            throw new IllegalArgumentException("filtering by captions or failures needs a captioner");
        }
        List<CatalogRepository.ImageRow> rows = repository.images(corpusId, filter, after, size + 1);
        String next = rows.size() > size ? rows.get(size - 1).imageId() : null;
        rows = rows.subList(0, Math.min(size, rows.size()));
        if (rows.isEmpty()) {
            return new CaptionedImagePage(corpusId, filter.captioner(), List.of(), null);
        }
        String first = rows.get(0).imageId();
        String last = rows.get(rows.size() - 1).imageId();
        String captioner = filter.captioner();
        Map<String, Map<CaptionStyle, String>> captions = captioner == null ? Map.of()
                : repository.captions(corpusId, captioner, first, last);
        Map<String, String> failures = captioner == null ? Map.of()
                : repository.failureCodes(corpusId, captioner, first, last);
        List<CaptionedImagePage.Image> images = rows.stream()
                .map(row -> new CaptionedImagePage.Image(row.imageId(), row.altText(),
                        captions.getOrDefault(row.imageId(), Map.of()), failures.get(row.imageId())))
                .toList();
        return new CaptionedImagePage(corpusId, captioner, images, next);
    }

    /** The image's bytes and media type, read from its file or tar member under the allowed roots. */
    public ImageFile image(String corpusId, String imageId) {
        CatalogRepository.ImageRow row = repository.image(corpusId, imageId)
                .orElseThrow(() -> new ImageNotFoundException("corpus '" + corpusId + "' has no image '" + imageId
                        + "'"));
        ImageRef ref = ImageRef.ofUri(row.uri());
        try {
            byte[] bytes = LocalImageBytes.read(imageRoots, ref, ImageLimits.DEFAULT_MAX_BYTES);
            return new ImageFile(bytes, mediaType(bytes));
        } catch (NoSuchFileException e) {
            throw new ImageNotFoundException("the file of image '" + imageId + "' is gone: " + row.uri());
        } catch (IOException e) {
            throw new ImageNotFoundException("the file of image '" + imageId + "' cannot be read: " + e.getMessage());
        }
    }

    /** From the bytes, not the name: the catalog does not know how a file was named. */
    static String mediaType(byte[] bytes) {
        if (bytes.length >= 8 && (bytes[0] & 0xff) == 0x89 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G') {
            return "image/png";
        }
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xd8 && (bytes[2] & 0xff) == 0xff) {
            return "image/jpeg";
        }
        if (bytes.length >= 12 && bytes[0] == 'R' && bytes[1] == 'I' && bytes[2] == 'F' && bytes[3] == 'F'
                && bytes[8] == 'W' && bytes[9] == 'E' && bytes[10] == 'B' && bytes[11] == 'P') {
            return "image/webp";
        }
        return "application/octet-stream";
    }

    /** An image file's content. */
    public record ImageFile(byte[] bytes, String mediaType) {
    }
}
