package io.recap.orchestrator.diffusion;

import io.recap.core.domain.CaptionMix;
import io.recap.core.domain.CaptionStyle;
import io.recap.core.domain.ImageRef;
import io.recap.core.image.ImageDecoder;
import io.recap.core.image.ImageValidationException;
import io.recap.core.json.Json;
import io.recap.core.store.AllowedRoots;
import io.recap.core.store.LocalImageBytes;
import io.recap.core.store.LocalBlobStore;
import io.recap.core.store.UnsafePathException;
import io.recap.ml.diffusion.DiffusionExample;
import io.recap.ml.image.ImageTensors;
import io.recap.orchestrator.catalog.SnapshotManifest;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A dataset snapshot ({@code snapshots/{id}/snapshot.json} and its JSONL shards) turned into training examples.
 * Images are read by reference, only under the allowed roots, and decoded by recap-core's validating decoder; an
 * image that is refused, missing or undecodable is skipped and counted by reason, never fatal on its own.
 *
 * @param manifest the snapshot's manifest
 * @param examples the usable examples, images resized to the model's size
 * @param skipped images left out, by reason ({@code unreadable}, {@code outside_roots}, {@code uncaptioned})
 */
public record SnapshotDataset(SnapshotManifest manifest, List<DiffusionExample> examples, Map<String, Integer> skipped) {

    /** Reasons stop being logged one by one after this many, to keep the job log readable. */
    private static final int LOGGED_SKIPS = 5;

    public int skippedTotal() {
        return skipped.values().stream().mapToInt(Integer::intValue).sum();
    }

    /**
     * Reads the snapshot {@code snapshotKey} from {@code store}.
     *
     * @param mix an image without SHORT or LONG caption is only used when the mix draws alt-text too
     * @param imageSize side the images are resized to
     */
    public static SnapshotDataset read(LocalBlobStore store, String snapshotKey, AllowedRoots roots, CaptionMix mix,
            int imageSize, Consumer<String> log) throws IOException {
        byte[] manifestBytes = store.get(snapshotKey + "/" + SnapshotManifest.FILE_NAME).orElseThrow(() ->
                new IllegalStateException("dataset snapshot " + snapshotKey + " has no " + SnapshotManifest.FILE_NAME
                        + " (incomplete or deleted)"));
        SnapshotManifest manifest = Json.read(manifestBytes, SnapshotManifest.class);
        if (!SnapshotManifest.FORMAT.equals(manifest.format())) {
            throw new IllegalStateException("dataset snapshot " + snapshotKey + " has format " + manifest.format()
                    + ", expected " + SnapshotManifest.FORMAT);
        }
        ImageDecoder decoder = new ImageDecoder();
        List<DiffusionExample> examples = new ArrayList<>();
        Map<String, Integer> skipped = new TreeMap<>();
        for (String shard : manifest.shards()) {
            Path file = store.resolve(shard);
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    SnapshotManifest.Record record = Json.read(line.getBytes(StandardCharsets.UTF_8),
                            SnapshotManifest.Record.class);
                    String reason = addExample(record, roots, decoder, mix, imageSize, examples);
                    if (reason != null) {
                        int count = skipped.merge(reason.substring(0, reason.indexOf(':')), 1, Integer::sum);
                        if (count <= LOGGED_SKIPS) {
                            log.accept("skipping image " + record.imageId() + " (" + reason + ")");
                        }
                    }
                }
            }
        }
        return new SnapshotDataset(manifest, List.copyOf(examples), Map.copyOf(skipped));
    }

    /** Adds the record's example, or returns why it was skipped ({@code reason: detail}). */
    private static String addExample(SnapshotManifest.Record record, AllowedRoots roots, ImageDecoder decoder,
            CaptionMix mix, int imageSize, List<DiffusionExample> examples) {
        Map<CaptionStyle, String> captions = record.captions() == null ? Map.of() : record.captions();
        String shortCaption = captions.get(CaptionStyle.SHORT);
        String longCaption = captions.get(CaptionStyle.LONG);
        boolean captioned = !isBlank(shortCaption) || !isBlank(longCaption);
        // Training a SHORT/LONG mix on the alt-text of an image the captioner failed on would teach the very
        // captions RECAP replaces; such images are left out unless the mix asks for alt-text.
        if (!captioned && (mix.altWeight() == 0 || isBlank(record.altText()))) {
            return "uncaptioned: no caption by the snapshot's captioner";
        }
        try {
            byte[] bytes;
            if (record.image().startsWith("tar:")) {
                // A WebDataset member: read in place from its shard (offset and length), confined like a file.
                bytes = LocalImageBytes.read(roots, ImageRef.ofUri(record.image()), decoder.limits().maxBytes());
            } else {
                Path path = roots.resolve(record.image());
                if (!Files.isRegularFile(path)) {
                    return "unreadable: no such file " + path;
                }
                if (Files.size(path) > decoder.limits().maxBytes()) {
                    return "unreadable: " + Files.size(path) + " bytes is over the limit " + decoder.limits().maxBytes();
                }
                bytes = Files.readAllBytes(path);
            }
            var decoded = decoder.decode(bytes);
            examples.add(new DiffusionExample(ImageTensors.resized(decoded.image(), imageSize), record.altText(),
                    shortCaption, longCaption));
            return null;
        } catch (UnsafePathException e) {
            return "outside_roots: " + e.getMessage();
        } catch (IllegalArgumentException e) {
            return "unreadable: " + e.getMessage();
        } catch (NoSuchFileException e) {
            return "unreadable: no such file " + e.getFile();
        } catch (IOException e) {
            return "unreadable: " + e;
        } catch (ImageValidationException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }
}
