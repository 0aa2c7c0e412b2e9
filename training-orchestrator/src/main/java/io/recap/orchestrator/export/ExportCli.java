package io.recap.orchestrator.export;

import io.recap.core.json.Json;
import io.recap.orchestrator.web.ClientApiKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Exports a corpus's captions from a running orchestrator into a directory, a page at a time over
 * {@code GET /corpora/{id}/export}, so that an interrupted export goes on where it stopped when run again with the
 * same arguments:
 *
 * <pre>
 * java -cp training-orchestrator/target/training-orchestrator-0.1.0-SNAPSHOT-exec.jar \
 *   -Dloader.main=io.recap.orchestrator.export.ExportCli org.springframework.boot.loader.launch.PropertiesLauncher \
 *   --url http://localhost:8080 --corpus photos --captioner captioner/recap-captioner/v1 \
 *   --format webdataset|sidecar|metadata-jsonl --out DIR [--style short|long] [--images] [--page-size 1000]
 * </pre>
 *
 * WebDataset pages become shards {@code 00000.tar}, {@code 00001.tar}, ...; sidecar pages are unpacked into
 * {@code DIR} ({@code name.short.txt}, ...); JSONL pages are appended to {@code DIR/metadata.jsonl}. After each page
 * {@code DIR/.recap-export.json} records how far it got; a page is written completely (a shard under a temporary
 * name, renamed; the JSONL cut back to its last recorded length) or redone. {@code DIR/export-report.json} lists
 * what was skipped and why. Exit status 0 when the corpus was exported to its end, 2 for bad arguments or a
 * directory holding another export, 1 otherwise.
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Exports a corpus's captions from the orchestrator into a directory, resumably.")
public final class ExportCli implements Callable<Integer> {

    public static final String STATE_FILE = ".recap-export.json";
    public static final String REPORT_FILE = "export-report.json";
    public static final String JSONL_FILE = "metadata.jsonl";

    @Option(names = "--url", required = true, description = "The orchestrator's base URL, e.g. http://localhost:8080.")
    URI url;

    @Option(names = "--corpus", required = true, description = "The corpus id.")
    String corpus;

    @Option(names = "--captioner", required = true,
            description = "The captioner version whose captions are exported, e.g. captioner/recap-captioner/v1.")
    String captioner;

    @Option(names = "--format", required = true, description = "webdataset, sidecar or metadata-jsonl.")
    String format;

    @Option(names = "--out", required = true, description = "The directory to write into (created when missing).")
    Path out;

    @Option(names = "--style", description = "short or long: the main text (name.txt, text, key.txt); "
            + "a sidecar export without it writes name.short.txt and name.long.txt.")
    String style;

    @Option(names = "--images", description = "A sidecar export carries the images too.")
    boolean images;

    @Option(names = "--page-size", defaultValue = "1000",
            description = "Images per request (and per WebDataset shard); default ${DEFAULT-VALUE}.")
    int pageSize;

    @Option(names = "--api-key-file", paramLabel = "FILE", description = "A file holding an API key of the operator "
            + "role or above (docs/security.md); default: the environment variable RECAP_API_KEY.")
    Path apiKeyFile;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** How far an export in a directory got. */
    record State(String corpus, String captioner, String format, String style, boolean images, int pageSize,
            String after, int pages, long jsonlBytes, long imagesSeen, long exported, Map<String, Long> skippedByReason,
            List<ExportSummary.Skipped> skipped, boolean complete) {

        boolean sameExport(State other) {
            return corpus.equals(other.corpus) && captioner.equals(other.captioner) && format.equals(other.format)
                    && java.util.Objects.equals(style, other.style) && images == other.images
                    && pageSize == other.pageSize;
        }
    }

    /** The key every request presents: from {@code --api-key-file}, else {@code RECAP_API_KEY}. */
    private String apiKey() throws IOException {
        return ClientApiKey.read(apiKeyFile);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command; returns the exit status. */
    public static int run(String... args) {
        return new CommandLine(new ExportCli()).execute(args);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = new PrintWriter(System.err, true);
        ExportFormat exportFormat;
        try {
            exportFormat = ExportFormat.parse(format);
        } catch (IllegalArgumentException e) {
            err.println("export: " + e.getMessage());
            return 2;
        }
        if (pageSize < 1) {
            err.println("export: --page-size must be 1 or more");
            return 2;
        }
        Files.createDirectories(out);
        State fresh = new State(corpus, captioner, exportFormat.id(), style, images, pageSize, null, 0, 0, 0, 0,
                Map.of(), List.of(), false);
        State state = fresh;
        Path stateFile = out.resolve(STATE_FILE);
        if (Files.exists(stateFile)) {
            State saved = Json.read(Files.readAllBytes(stateFile), State.class);
            if (!saved.sameExport(fresh)) {
                err.println("export: " + out + " holds an export of other arguments (" + saved.corpus() + ", "
                        + saved.captioner() + ", " + saved.format() + "); use another directory");
                return 2;
            }
            state = saved;
            if (!state.complete()) {
                System.out.printf("export: resuming after image %s (%d pages written)%n", state.after(), state.pages());
            }
        }
        while (!state.complete()) {
            ExportSummary page;
            try {
                page = page(exportFormat, state);
            } catch (ExportFailedException e) {
                err.println("export: " + e.getMessage());
                return e.badRequest ? 2 : 1;
            } catch (IOException e) {
                err.println("export failed (run it again to go on): " + e);
                return 1;
            }
            state = next(state, page);
            writeAtomically(stateFile, Json.writePretty(state));
            System.out.printf("export: page %d: %d images looked at, %d exported, up to %s%n", state.pages(),
                    page.images(), page.exported(), page.lastImageId());
        }
        ExportSummary total = new ExportSummary(corpus, captioner, exportFormat.id(), state.imagesSeen(),
                state.exported(), state.skippedByReason(), state.skipped(), state.after(), true);
        writeAtomically(out.resolve(REPORT_FILE), Json.writePretty(total));
        System.out.printf("export: corpus %s (%s) by %s: %d images, %d exported, %d skipped %s, into %s%n", corpus,
                exportFormat.id(), captioner, total.images(), total.exported(), total.images() - total.exported(),
                total.skippedByReason(), out);
        return 0;
    }

    private ExportSummary page(ExportFormat exportFormat, State state) throws IOException, InterruptedException {
        StringBuilder query = new StringBuilder("format=").append(exportFormat.id())
                .append("&captioner=").append(encode(captioner)).append("&limit=").append(pageSize);
        if (style != null) {
            query.append("&style=").append(encode(style));
        }
        if (images) {
            query.append("&images=true");
        }
        if (state.after() != null) {
            query.append("&after=").append(encode(state.after()));
        }
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(
                        url.resolve("/corpora/" + encode(corpus) + "/export?" + query)).header("X-API-Key", apiKey())
                        .GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new ExportFailedException(response.statusCode(),
                        new String(body.readAllBytes(), StandardCharsets.UTF_8));
            }
            switch (exportFormat) {
                case WEBDATASET -> {
                    Path part = out.resolve(String.format("%05d.tar.part", state.pages()));
                    Files.copy(body, part, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(part, out.resolve(String.format("%05d.tar", state.pages())),
                            StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
                case SIDECAR -> unpack(body);
                case METADATA_JSONL -> append(body, state.jsonlBytes());
                default -> throw new IllegalStateException("unhandled format " + exportFormat);
            }
        }
        String exportId = response.headers().firstValue("Recap-Export-Id")
                .orElseThrow(() -> new IOException("the orchestrator named no export id"));
        HttpResponse<String> summary = http.send(HttpRequest.newBuilder(
                        url.resolve("/corpora/" + encode(corpus) + "/exports/" + encode(exportId)))
                        .header("X-API-Key", apiKey()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (summary.statusCode() != 200) {
            throw new ExportFailedException(summary.statusCode(), summary.body());
        }
        return Json.read(summary.body().getBytes(StandardCharsets.UTF_8), ExportSummary.class);
    }

    private State next(State state, ExportSummary page) throws IOException {
        Map<String, Long> byReason = new TreeMap<>(state.skippedByReason());
        page.skippedByReason().forEach((reason, n) -> byReason.merge(reason, n, Long::sum));
        List<ExportSummary.Skipped> skipped = new ArrayList<>(state.skipped());
        for (ExportSummary.Skipped s : page.skipped()) {
            if (skipped.size() < ExportSummary.MAX_LISTED) {
                skipped.add(s);
            }
        }
        long jsonlBytes = Files.exists(out.resolve(JSONL_FILE)) ? Files.size(out.resolve(JSONL_FILE)) : 0;
        return new State(state.corpus(), state.captioner(), state.format(), state.style(), state.images(),
                state.pageSize(), page.lastImageId() == null ? state.after() : page.lastImageId(), state.pages() + 1,
                jsonlBytes, state.imagesSeen() + page.images(), state.exported() + page.exported(), byReason, skipped,
                page.complete());
    }

    /** Writes each member of a sidecar page under {@code out}, refusing any that would land outside it. */
    private void unpack(InputStream body) throws IOException {
        Path root = out.toAbsolutePath().normalize();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(body, StandardCharsets.UTF_8.name())) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (!entry.isFile()) {
                    continue;
                }
                Path target = root.resolve(entry.getName()).normalize();
                if (!target.startsWith(root) || target.equals(root)) {
                    throw new IOException("export member " + entry.getName() + " would leave " + root);
                }
                Files.createDirectories(target.getParent());
                Path part = target.resolveSibling(target.getFileName() + ".part");
                Files.copy(tar, part, StandardCopyOption.REPLACE_EXISTING);
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }

    /** Appends a JSONL page after cutting the file back to what the last recorded page left. */
    private void append(InputStream body, long recordedBytes) throws IOException {
        Path file = out.resolve(JSONL_FILE);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            channel.truncate(recordedBytes);
        }
        try (OutputStream append = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
            body.transferTo(append);
        }
    }

    private static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path part = file.resolveSibling(file.getFileName() + ".part");
        Files.write(part, bytes);
        Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The orchestrator refused or failed a request; its problem+json is the message. */
    private static final class ExportFailedException extends IOException {
        final boolean badRequest;

        ExportFailedException(int status, String body) {
            super("the orchestrator answered " + status + ": " + body);
            this.badRequest = status == 400 || status == 404;
        }
    }
}
