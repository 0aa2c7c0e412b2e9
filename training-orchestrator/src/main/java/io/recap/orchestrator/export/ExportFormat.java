package io.recap.orchestrator.export;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The shapes an export takes; each is named in requests by {@link #id()}. */
public enum ExportFormat {
    /**
     * A tar of text files to put beside the images: {@code name.short.txt} and {@code name.long.txt}, or one
     * chosen style as {@code name.txt} (the kohya / taggui convention); the images too when asked.
     */
    SIDECAR("sidecar", "application/x-tar"),
    /**
     * A Hugging Face {@code imagefolder} {@code metadata.jsonl}: {@code file_name}, {@code text} (the chosen
     * style), one column per style, the alt-text and the captioner version.
     */
    METADATA_JSONL("metadata-jsonl", "application/x-ndjson"),
    /**
     * A WebDataset shard as img2dataset writes them: {@code key.jpg|png|webp}, {@code key.txt} (the chosen style),
     * {@code key.short.txt}, {@code key.long.txt} and {@code key.json}.
     */
    WEBDATASET("webdataset", "application/x-tar");

    private final String id;
    private final String mediaType;

    ExportFormat(String id, String mediaType) {
        this.id = id;
        this.mediaType = mediaType;
    }

    public String id() {
        return id;
    }

    public String mediaType() {
        return mediaType;
    }

    /** @throws IllegalArgumentException naming the formats there are */
    public static ExportFormat parse(String id) {
        String wanted = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.id.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown export format '" + id + "'; one of "
                        + Arrays.stream(values()).map(ExportFormat::id).collect(Collectors.joining(", "))));
    }
}
