package io.recap.orchestrator.catalog;

import io.recap.core.domain.CaptionStyle;
import java.util.List;
import java.util.Map;

/**
 * One page of {@code GET /corpora/{id}/images}: images in id order with their alt-text and captions.
 *
 * @param captioner whose captions these are, {@code captioner/name/version} (null: none asked for)
 * @param next the {@code after} of the next page; null on the last page
 */
public record CaptionedImagePage(String corpusId, String captioner, List<Image> images, String next) {

    /** @param failure the captioner's relabel failure code for this image, if one is recorded */
    public record Image(String imageId, String altText, Map<CaptionStyle, String> captions, String failure) {
    }
}
