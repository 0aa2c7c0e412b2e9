package io.recap.orchestrator.export;

import io.recap.core.domain.CaptionStyle;
import io.recap.core.domain.ImageRef;
import io.recap.core.image.ImageLimits;
import io.recap.core.json.Json;
import io.recap.core.store.AllowedRoots;
import io.recap.core.store.LocalImageBytes;
import io.recap.orchestrator.catalog.CatalogRepository;
import io.recap.orchestrator.catalog.CorpusNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Streams a corpus's captions by one captioner version in image-id order, a page of the catalog at a time, so an
 * export of any size needs the memory of one page and one image. An image is exported when it has the captions
 * the format needs; every other image is skipped with its reason and counted. Nothing is buffered beyond the
 * current item: a client that loses the stream resumes with {@code after} = the last image id it received whole.
 */
public class CorpusExporter {

    /** Images read from the catalog per query. */
    static final int PAGE = 500;

    private final CatalogRepository repository;
    private final AllowedRoots imageRoots;
    private final long maxImageBytes;
    private final Clock clock;

    public CorpusExporter(CatalogRepository repository, AllowedRoots imageRoots, Clock clock) {
        this(repository, imageRoots, ImageLimits.DEFAULT_MAX_BYTES, clock);
    }

    CorpusExporter(CatalogRepository repository, AllowedRoots imageRoots, long maxImageBytes, Clock clock) {
        this.repository = repository;
        this.imageRoots = imageRoots;
        this.maxImageBytes = maxImageBytes;
        this.clock = clock;
    }

    /** @throws CorpusNotFoundException before anything is written */
    public void requireCorpus(String corpusId) {
        if (!repository.corpusExists(corpusId)) {
            throw new CorpusNotFoundException(corpusId);
        }
    }

    /** Writes the export to {@code out} (not closed) and returns what it wrote and skipped. */
    public ExportSummary export(String corpusId, ExportRequest request, OutputStream out) throws IOException {
        requireCorpus(corpusId);
        Tally tally = new Tally();
        String captioner = request.captioner().toString();
        TarArchiveOutputStream tar = request.format() == ExportFormat.METADATA_JSONL ? null : tar(out);
        String after = request.after();
        boolean complete = false;
        int remaining = request.limit() == 0 ? Integer.MAX_VALUE : request.limit();
        while (remaining > 0) {
            int wanted = Math.min(PAGE, remaining);
            List<CatalogRepository.ImageRow> page = repository.images(corpusId, after, wanted);
            if (page.isEmpty()) {
                complete = true;
                break;
            }
            String from = page.get(0).imageId();
            String to = page.get(page.size() - 1).imageId();
            Map<String, Map<CaptionStyle, String>> captions = repository.captions(corpusId, captioner, from, to);
            Map<String, String> failures = repository.failureCodes(corpusId, captioner, from, to);
            for (CatalogRepository.ImageRow image : page) {
                tally.images++;
                tally.last = image.imageId();
                Map<CaptionStyle, String> own = captions.getOrDefault(image.imageId(), Map.of());
                if (own.isEmpty()) {
                    String code = failures.get(image.imageId());
                    tally.skip(image.imageId(), code == null ? "NOT_CAPTIONED" : "FAILED:" + code,
                            code == null ? "no caption by " + captioner + " yet" : "its relabel failed");
                    continue;
                }
                if (request.style() != null && !own.containsKey(request.style())) {
                    tally.skip(image.imageId(), "MISSING_STYLE", "no " + request.style().name().toLowerCase(Locale.ROOT)
                            + " caption by " + captioner);
                    continue;
                }
                if (write(request, image, own, captioner, tar, out, tally)) {
                    tally.exported++;
                }
            }
            after = page.get(page.size() - 1).imageId();
            remaining -= page.size();
            if (page.size() < wanted) {
                complete = true;
                break;
            }
        }
        if (!complete && repository.images(corpusId, after, 1).isEmpty()) {
            complete = true;
        }
        if (tar != null) {
            tar.finish();
        }
        out.flush();
        return new ExportSummary(corpusId, captioner, request.format().id(), tally.images, tally.exported,
                tally.byReason, tally.listed, tally.last, complete);
    }

    private boolean write(ExportRequest request, CatalogRepository.ImageRow image, Map<CaptionStyle, String> own,
            String captioner, TarArchiveOutputStream tar, OutputStream out, Tally tally) throws IOException {
        String main = own.getOrDefault(request.mainStyle(), own.values().iterator().next());
        switch (request.format()) {
            case METADATA_JSONL -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("file_name", ExportNames.of(image.imageId(), false) + extension(image.uri()));
                row.put("text", main);
                row.put("short_caption", own.get(CaptionStyle.SHORT));
                row.put("long_caption", own.get(CaptionStyle.LONG));
                row.put("alt_text", image.altText());
                row.put("captioner", captioner);
                row.put("image_id", image.imageId());
                out.write(Json.write(row));
                out.write('\n');
                return true;
            }
            case SIDECAR -> {
                String name = ExportNames.of(image.imageId(), false);
                byte[] bytes = null;
                if (request.images()) {
                    bytes = imageBytes(image, tally);
                    if (bytes == null) {
                        return false;
                    }
                    put(tar, name + extension(image.uri()), bytes);
                }
                if (request.style() != null) {
                    put(tar, name + ".txt", text(main));
                } else {
                    for (Map.Entry<CaptionStyle, String> caption : new TreeMap<>(own).entrySet()) {
                        put(tar, name + "." + caption.getKey().name().toLowerCase(Locale.ROOT) + ".txt",
                                text(caption.getValue()));
                    }
                }
                return true;
            }
            case WEBDATASET -> {
                byte[] bytes = imageBytes(image, tally);
                if (bytes == null) {
                    return false;
                }
                String key = ExportNames.of(image.imageId(), true);
                put(tar, key + extension(image.uri()), bytes);
                put(tar, key + ".txt", text(main));
                for (Map.Entry<CaptionStyle, String> caption : new TreeMap<>(own).entrySet()) {
                    put(tar, key + "." + caption.getKey().name().toLowerCase(Locale.ROOT) + ".txt",
                            text(caption.getValue()));
                }
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("image_id", image.imageId());
                json.put("alt_text", image.altText());
                Map<String, String> byStyle = new LinkedHashMap<>();
                new EnumMap<>(own).forEach((style, text) -> byStyle.put(style.name().toLowerCase(Locale.ROOT), text));
                json.put("captions", byStyle);
                json.put("captioner", captioner);
                json.put("source", image.uri());
                put(tar, key + ".json", Json.write(json));
                return true;
            }
            default -> throw new IllegalStateException("unhandled format " + request.format());
        }
    }

    /** The image's bytes, or null (skipped as {@code UNREADABLE_IMAGE}) when it cannot be read any more. */
    private byte[] imageBytes(CatalogRepository.ImageRow image, Tally tally) {
        try {
            return LocalImageBytes.read(imageRoots, ImageRef.ofUri(image.uri()), maxImageBytes);
        } catch (IOException | RuntimeException e) {
            tally.skip(image.imageId(), "UNREADABLE_IMAGE", e.getClass().getSimpleName() + ": " + e.getMessage());
            return null;
        }
    }

    /** {@code .jpg}, {@code .png}, {@code .webp}... of the image's file or tar member; empty when it has none. */
    static String extension(String uri) {
        String path = uri;
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('!'));
        String name = path.substring(slash + 1);
        int dot = name.lastIndexOf('.');
        if (dot <= 0) {
            return "";
        }
        String ext = name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return ext.equals("jpeg") ? ".jpg" : ext.matches("[a-z0-9]{1,5}") ? "." + ext : "";
    }

    private static byte[] text(String caption) {
        return (caption + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private TarArchiveOutputStream tar(OutputStream out) {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new NonClosing(out), StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        return tar;
    }

    private void put(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(bytes.length);
        entry.setModTime(clock.millis());
        entry.setMode(0644);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    private static final class Tally {
        long images;
        long exported;
        String last;
        final Map<String, Long> byReason = new TreeMap<>();
        final List<ExportSummary.Skipped> listed = new ArrayList<>();

        void skip(String imageId, String reason, String detail) {
            byReason.merge(reason, 1L, Long::sum);
            if (listed.size() < ExportSummary.MAX_LISTED) {
                listed.add(new ExportSummary.Skipped(imageId, reason, detail));
            }
        }
    }

    /** Lets the tar finish its archive without closing the response stream under it. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
