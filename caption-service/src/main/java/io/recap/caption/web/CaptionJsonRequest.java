package io.recap.caption.web;

import jakarta.validation.constraints.NotBlank;

/**
 * JSON form of a caption request.
 *
 * @param imageBase64 the PNG or JPEG bytes, base64 (standard alphabet)
 * @param style short | long | both (default both)
 * @param beamSize beam width; 1 (default) is greedy decoding
 */
public record CaptionJsonRequest(@NotBlank(message = "imageBase64 is required") String imageBase64, String style, Integer beamSize) {
}
