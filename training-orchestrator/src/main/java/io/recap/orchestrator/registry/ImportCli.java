package io.recap.orchestrator.registry;

import io.recap.orchestrator.web.ClientApiKey;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Imports a model folder of TorchScript graphs (docs/byo-models.md) into a running orchestrator: zips the folder's
 * files and posts them to {@code POST /models/{kind}/import}, which checks and publishes them.
 */
@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Import a TorchScript model folder (a BLIP-shaped captioner or a Stable-Diffusion-shaped "
                + "pipeline) as a new model version.")
public final class ImportCli implements Callable<Integer> {

    @Option(names = "--url", required = true, description = "The orchestrator, e.g. http://127.0.0.1:8080.")
    URI url;

    @Option(names = "--folder", required = true, paramLabel = "DIR", description = "The exported model folder.")
    Path folder;

    @Option(names = "--kind", required = true, description = "captioner or text-to-image.")
    String kind;

    @Option(names = "--name", required = true, description = "The model name, e.g. blip-base.")
    String name;

    @Option(names = "--version", defaultValue = "v1", description = "The version to publish; default ${DEFAULT-VALUE}.")
    String version;

    @Option(names = "--api-key-file", paramLabel = "FILE", description = "A file holding an API key of the admin "
            + "role (docs/security.md); default: the environment variable RECAP_API_KEY.")
    Path apiKeyFile;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command; returns the exit status (0 published, 2 refused, 1 failed). */
    public static int run(String... args) {
        return new CommandLine(new ImportCli()).execute(args);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = new PrintWriter(System.err, true);
        if (!Files.isDirectory(folder)) {
            err.println("import: " + folder + " is not a folder");
            return 2;
        }
        Path zip = Files.createTempFile("recap-import-", ".zip");
        try {
            long bytes = zipFolder(zip);
            System.out.printf("import: sending %s (%d MB) as %s/%s/%s%n", folder, bytes >> 20, kind, name, version);
            String query = "name=" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "&version="
                    + URLEncoder.encode(version, StandardCharsets.UTF_8);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            url.resolve("/models/" + URLEncoder.encode(kind, StandardCharsets.UTF_8) + "/import?" + query))
                    .header(ClientApiKey.HEADER, ClientApiKey.read(apiKeyFile))
                    .header("Content-Type", "application/zip")
                    .POST(HttpRequest.BodyPublishers.ofFile(zip)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 201) {
                System.out.println("import: published " + response.headers().firstValue("Location").orElse("")
                        + "\n" + response.body());
                return 0;
            }
            err.println("import: refused (" + response.statusCode() + "): " + response.body());
            return response.statusCode() >= 500 ? 1 : 2;
        } catch (IOException e) {
            err.println("import failed: " + e.getMessage());
            return 1;
        } finally {
            Files.deleteIfExists(zip);
        }
    }

    private long zipFolder(Path zip) throws IOException {
        long bytes = 0;
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream entries = new ZipOutputStream(out);
                Stream<Path> files = Files.list(folder)) {
            // Graphs are already compressed archives: storing them saves minutes on a multi-GB export.
            entries.setLevel(0);
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                entries.putNextEntry(new ZipEntry(file.getFileName().toString()));
                bytes += Files.copy(file, entries);
                entries.closeEntry();
            }
        }
        return bytes;
    }
}
