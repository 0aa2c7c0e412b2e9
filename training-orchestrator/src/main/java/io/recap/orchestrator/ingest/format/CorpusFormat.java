package io.recap.orchestrator.ingest.format;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The corpus layouts ingestion reads; {@link CorpusReaders#detect} picks one when none is named. */
public enum CorpusFormat {
    /** A ShapesWorld corpus: {@code manifest.jsonl} whose lines carry a scene, images under {@code images/}. */
    SHAPES,
    /** An image folder, nested folders allowed, each image with an optional {@code name.txt} or {@code name.caption}. */
    SIDECAR,
    /** A Hugging Face imagefolder: {@code metadata.jsonl} with {@code file_name} and a text column. */
    IMAGEFOLDER,
    /** One {@code *.jsonl} manifest of local image paths with a caption column. */
    JSONL,
    /** One {@code *.csv} manifest (RFC 4180, header row) of local image paths with a caption column. */
    CSV,
    /** WebDataset {@code *.tar} shards as img2dataset writes them: {@code key.jpg|png|webp}, {@code key.txt}, {@code key.json}. */
    WEBDATASET;

    /** The lower-case name used in requests and on the command line. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Case-insensitive parse of a format name.
     *
     * @throws IllegalArgumentException for a name that is not one of the formats (the message lists them)
     */
    public static CorpusFormat parse(String name) {
        for (CorpusFormat format : values()) {
            if (format.id().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown corpus format '" + name + "' (expected one of "
                + Arrays.stream(values()).map(CorpusFormat::id).collect(Collectors.joining(", "))
                + ", or none to detect it)");
    }
}
