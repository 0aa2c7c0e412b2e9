package io.recap.orchestrator.ingest.format;

import io.recap.core.image.ImageLimits;
import io.recap.core.store.AllowedRoots;
import io.recap.orchestrator.ingest.format.CorpusReadException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reads a corpus directory in any {@link CorpusFormat}, detecting the format when none is named, into usable
 * items and per-item errors. Every file it reads or references lies under the allowed roots.
 */
public final class CorpusReaders {

    /** The Hugging Face imagefolder's metadata file. */
    public static final String IMAGEFOLDER_METADATA = "metadata.jsonl";

    private static final List<String> IMAGEFOLDER_PATHS = List.of("file_name");
    private static final List<String> IMAGEFOLDER_TEXTS = List.of("text", "caption");
    private static final List<String> MANIFEST_PATHS = List.of("image", "path", "file_name");
    private static final List<String> MANIFEST_TEXTS = List.of("text", "caption", "alt_text");

    private final ImageFiles files;
    private final RecapManifestReader recap;
    private final SidecarFolderReader sidecar;
    private final JsonlManifestReader jsonl;
    private final CsvManifestReader csv;
    private final WebDatasetReader webdataset;

    public CorpusReaders(AllowedRoots roots) {
        this.files = new ImageFiles(roots);
        // The relabel worker's default limit for tar members (recap's tar: images, webdataset's shards): a member over
        // it would only fail there, after a round trip.
        this.recap = new RecapManifestReader(files, ImageLimits.DEFAULT_MAX_BYTES);
        this.sidecar = new SidecarFolderReader(roots, files);
        this.jsonl = new JsonlManifestReader(files);
        this.csv = new CsvManifestReader(files);
        this.webdataset = new WebDatasetReader(files, ImageLimits.DEFAULT_MAX_BYTES);
    }

    /**
     * @param dir the corpus directory: a real path under the allowed roots
     * @param format the format to read, or null to {@link #detect} it
     * @param textColumn the manifest column holding the alt-text (imagefolder, jsonl, csv), or null for the
     *        format's own: {@code text}, else {@code caption} (imagefolder; jsonl and csv also {@code alt_text})
     * @throws CorpusReadException when the directory cannot be read as that format at all
     */
    public CorpusRead read(Path dir, CorpusFormat format, String textColumn) {
        CorpusFormat chosen = format != null ? format : detect(dir);
        String column = textColumn == null || textColumn.isBlank() ? null : textColumn.strip();
        if (column != null && (chosen == CorpusFormat.RECAP || chosen == CorpusFormat.SIDECAR
                || chosen == CorpusFormat.WEBDATASET)) {
            throw new CorpusReadException(Reason.UNKNOWN_COLUMN, "textColumn applies to imagefolder, jsonl and csv "
                    + "manifests; " + dir + " is read as " + chosen.id());
        }
        return switch (chosen) {
            case RECAP -> recap.read(dir);
            case SIDECAR -> sidecar.read(dir);
            case IMAGEFOLDER -> jsonl.read(chosen, dir, ManifestFiles.manifest(files, dir, IMAGEFOLDER_METADATA),
                    ManifestRows.Columns.of(IMAGEFOLDER_PATHS, IMAGEFOLDER_TEXTS, column));
            case JSONL -> jsonl.read(chosen, dir, ManifestFiles.manifest(files, dir, onlyManifest(dir, "jsonl")),
                    ManifestRows.Columns.of(MANIFEST_PATHS, MANIFEST_TEXTS, column));
            case CSV -> csv.read(dir, ManifestFiles.manifest(files, dir, onlyManifest(dir, "csv")),
                    ManifestRows.Columns.of(MANIFEST_PATHS, MANIFEST_TEXTS, column));
            case WEBDATASET -> webdataset.read(dir, manifests(dir, "tar"));
        };
    }

    /**
     * The format of a directory: the neutral {@code corpus.jsonl} → recap, whatever else lies there (a corpus that
     * has it says so itself: ShapesWorld writes it beside its own {@code manifest.jsonl}); a {@code metadata.jsonl}
     * → imagefolder; else a single {@code *.jsonl} or {@code *.csv} beside the images → jsonl or csv; with no
     * manifest, {@code *.tar} shards and no images beside them → webdataset; with none of these → sidecar (a plain
     * image folder).
     *
     * @throws CorpusReadException {@code AMBIGUOUS_MANIFEST} when several manifests lie there, or shards beside
     *         images; {@code NOT_A_CORPUS} for a ShapesWorld corpus from before {@code corpus.jsonl}
     */
    public CorpusFormat detect(Path dir) {
        if (Files.exists(dir.resolve(RecapManifestReader.MANIFEST), LinkOption.NOFOLLOW_LINKS)) {
            return CorpusFormat.RECAP;
        }
        RecapManifestReader.refuseOlderShapesWorld(dir);
        if (Files.isRegularFile(dir.resolve(IMAGEFOLDER_METADATA))) {
            return CorpusFormat.IMAGEFOLDER;
        }
        List<String> manifests = manifests(dir, "jsonl", "csv");
        if (manifests.size() > 1) {
            throw ambiguous(dir, manifests);
        }
        if (manifests.size() == 1) {
            return manifests.get(0).toLowerCase(Locale.ROOT).endsWith(".csv") ? CorpusFormat.CSV : CorpusFormat.JSONL;
        }
        if (!manifests(dir, "tar").isEmpty()) {
            List<String> images = manifests(dir, SidecarFolderReader.IMAGE_EXTENSIONS.toArray(String[]::new));
            if (!images.isEmpty()) {
                // Both readers would claim the directory; guessing would silently drop one half of it.
                throw new CorpusReadException(Reason.AMBIGUOUS_MANIFEST, dir + " holds both *.tar shards and images "
                        + "(" + images.get(0) + ", ...); name the format (webdataset or sidecar)");
            }
            return CorpusFormat.WEBDATASET;
        }
        return CorpusFormat.SIDECAR;
    }

    private static String onlyManifest(Path dir, String extension) {
        List<String> manifests = manifests(dir, extension);
        if (manifests.isEmpty()) {
            throw new CorpusReadException(Reason.NOT_A_CORPUS, "no *." + extension + " manifest in " + dir);
        }
        if (manifests.size() > 1) {
            throw ambiguous(dir, manifests);
        }
        return manifests.get(0);
    }

    /** Names of the visible files directly in {@code dir} with one of the extensions, sorted. */
    private static List<String> manifests(Path dir, String... extensions) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(name -> !name.startsWith("."))
                    .filter(name -> Stream.of(extensions)
                            .anyMatch(ext -> name.toLowerCase(Locale.ROOT).endsWith("." + ext)))
                    .sorted().toList();
        } catch (IOException e) {
            throw new CorpusReadException(Reason.NOT_A_CORPUS, "cannot list " + dir + ": " + e, e);
        }
    }

    private static CorpusReadException ambiguous(Path dir, List<String> manifests) {
        return new CorpusReadException(Reason.AMBIGUOUS_MANIFEST, dir + " holds several manifests " + manifests
                + "; keep one per directory, or put the others elsewhere");
    }
}
