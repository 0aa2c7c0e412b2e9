package io.recap.orchestrator.ingest.format;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The corpus layouts ingestion reads; {@link CorpusReaders#detect} picks one when none is named. */
public enum CorpusFormat {
    /**
     * The neutral corpus manifest {@code corpus.jsonl} (recap-core's {@code CorpusRecord}s), with ids, alt-text and
     * human captions of its own. ShapesWorld writes one beside its own {@code manifest.jsonl}.
     */
    RECAP,
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

    /**
     * Names that {@link #parse} also accepts: {@code shapes} was the format of ShapesWorld's own manifest, which
     * ingest no longer reads; a ShapesWorld corpus is read through its {@code corpus.jsonl}, so requests and
     * scripts that name {@code shapes} keep working.
     */
    private static final Map<String, CorpusFormat> ALIASES = Map.of("shapes", RECAP);

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
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (CorpusFormat format : values()) {
            if (format.id().equals(wanted)) {
                return format;
            }
        }
        CorpusFormat aliased = ALIASES.get(wanted);
        if (aliased != null) {
            return aliased;
        }
        throw new IllegalArgumentException("unknown corpus format '" + name + "' (expected one of "
                + Arrays.stream(values()).map(CorpusFormat::id).collect(Collectors.joining(", "))
                + " (shapes is read as recap), or none to detect it)");
    }
}
