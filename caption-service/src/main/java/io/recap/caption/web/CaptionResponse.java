package io.recap.caption.web;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Captions by style, the captioner version that wrote them, and the server-side time. */
public record CaptionResponse(Captions captions, Model model, long tookMs) {

    /** Only the requested styles are present. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Captions(String shortCaption, String longCaption) {

        @com.fasterxml.jackson.annotation.JsonProperty("short")
        public String shortCaption() {
            return shortCaption;
        }

        @com.fasterxml.jackson.annotation.JsonProperty("long")
        public String longCaption() {
            return longCaption;
        }
    }

    public record Model(String name, String version) {
    }
}
