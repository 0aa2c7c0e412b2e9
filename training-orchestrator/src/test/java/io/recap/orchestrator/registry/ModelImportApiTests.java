package io.recap.orchestrator.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelManifest;
import io.recap.core.domain.ModelRef;
import io.recap.core.model.ModelStore;
import io.recap.ml.torchscript.TorchScriptFixtures;
import io.recap.orchestrator.support.OrchestratorIntegrationTest;
import io.recap.service.security.TestApiKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** {@code POST /models/{kind}/import}: TorchScript folders checked by a dry run, then published with their checksums. */
class ModelImportApiTests extends OrchestratorIntegrationTest {

    @Autowired
    ModelStore models;

    @TempDir
    Path temp;

    @Test
    void anImportedCaptionerIsPublishedInTheTorchScriptFormatWithEveryFilesChecksum() throws Exception {
        HttpResponse<String> response = importZip("captioner", "blip-import", "v1",
                zip(TorchScriptFixtures.folder(TorchScriptFixtures.BLIP), Map.of()), TestApiKeys.ADMIN);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(response.headers().firstValue("Location")).hasValue("/models/captioner/blip-import/v1");
        JsonNode manifest = json(response).get("manifest");
        assertThat(manifest.get("format").asString()).isEqualTo("torchscript");
        assertThat(manifest.get("architecture").asString()).startsWith("blip-tiny");
        assertThat(manifest.get("hyperParameters").get("graphOutputs").get("vision_encoder").toString())
                .isEqualTo("[2,17,32]");
        ModelRef ref = new ModelRef(ModelKind.CAPTIONER, "blip-import", "v1");
        ModelManifest stored = models.manifest(ref);
        assertThat(stored.isTorchScript()).isTrue();
        assertThat(stored.files().keySet()).containsExactlyInAnyOrder("vision_encoder.pt", "text_decoder.pt",
                "tokenizer.json", "torchscript.json");
        assertThat(models.directory(ref).resolve("text_decoder.pt")).exists();
        assertThat(getJson("/models/captioner/blip-import/v1").get("manifest").get("format").asString())
                .isEqualTo("torchscript");
    }

    @Test
    void aGraphWhoseShapesDoNotFitIsRefusedNamingFileAndTensorAndNothingIsPublished() throws Exception {
        Path folder = TorchScriptFixtures.copy(TorchScriptFixtures.STABLE_DIFFUSION, temp.resolve("sd"));
        Path config = folder.resolve("torchscript.json");
        Files.writeString(config, Files.readString(config).replace("\"channels\": 4", "\"channels\": 3"));

        HttpResponse<String> response = importZip("text-to-image", "sd-broken", "v1", zip(folder, Map.of()),
                TestApiKeys.ADMIN);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        assertThat(json(response).get("reason").asString()).isEqualTo("IMPORT_REFUSED");
        assertThat(json(response).get("file").asString()).isEqualTo("unet.pt");
        assertThat(json(response).get("detail").asString()).contains("float32(2, 3, 8, 8)");
        assertThat(get("/models/text-to-image/sd-broken/v1").statusCode()).isEqualTo(404);
        assertThat(scratchLeftovers()).isZero();
    }

    @Test
    void aPickleBesideTheGraphsAWrongKindAndAnUnsafeEntryAreEachRefusedNamingTheFile() throws Exception {
        Path blip = TorchScriptFixtures.folder(TorchScriptFixtures.BLIP);

        HttpResponse<String> pickle = importZip("captioner", "blip-pickle", "v1",
                zip(blip, Map.of("pytorch_model.bin", new byte[] {(byte) 0x80, 2})), TestApiKeys.ADMIN);
        HttpResponse<String> wrongKind = importZip("text-to-image", "blip-as-sd", "v1", zip(blip, Map.of()),
                TestApiKeys.ADMIN);
        HttpResponse<String> slip = importZip("captioner", "blip-slip", "v1",
                zip(blip, Map.of("../../escape.pt", new byte[] {1})), TestApiKeys.ADMIN);

        assertThat(pickle.statusCode()).as(pickle.body()).isEqualTo(422);
        assertThat(json(pickle).get("file").asString()).isEqualTo("pytorch_model.bin");
        assertThat(wrongKind.statusCode()).as(wrongKind.body()).isEqualTo(422);
        assertThat(json(wrongKind).get("detail").asString())
                .isEqualTo("torchscript.json: kind is CAPTIONER but the model is imported as TEXT_TO_IMAGE");
        assertThat(slip.statusCode()).as(slip.body()).isEqualTo(422);
        assertThat(json(slip).get("file").asString()).isEqualTo("../../escape.pt");
        assertThat(store().getParent().resolve("escape.pt")).doesNotExist();
        assertThat(models.list(ModelKind.CAPTIONER)).extracting(ModelManifest::name)
                .doesNotContain("blip-pickle", "blip-slip");
        assertThat(scratchLeftovers()).isZero();
    }

    @Test
    void aBodyThatIsNotAZipABadNameAndAnExistingVersionAreRefused() throws Exception {
        byte[] blip = zip(TorchScriptFixtures.folder(TorchScriptFixtures.BLIP), Map.of());
        assertThat(importZip("captioner", "blip-twice", "v1", blip, TestApiKeys.ADMIN).statusCode()).isEqualTo(201);

        HttpResponse<String> again = importZip("captioner", "blip-twice", "v1", blip, TestApiKeys.ADMIN);
        HttpResponse<String> notZip = importZip("captioner", "blip-text", "v1", "hello".getBytes(), TestApiKeys.ADMIN);
        HttpResponse<String> badName = importZip("captioner", "Bad%20Name", "v1", blip, TestApiKeys.ADMIN);
        HttpResponse<String> badKind = importZip("evaluator", "blip-eval", "v1", blip, TestApiKeys.ADMIN);

        assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
        assertThat(json(again).get("reason").asString()).isEqualTo("MODEL_VERSION_EXISTS");
        assertThat(notZip.statusCode()).as(notZip.body()).isEqualTo(400);
        assertThat(json(notZip).get("reason").asString()).isEqualTo("INVALID_ZIP");
        assertThat(badName.statusCode()).as(badName.body()).isEqualTo(400);
        assertThat(json(badName).get("field").asString()).isEqualTo("name");
        assertThat(badKind.statusCode()).as(badKind.body()).isEqualTo(400);
        assertThat(json(badKind).get("field").asString()).isEqualTo("kind");
    }

    @Test
    void onlyAnAdminImports() throws Exception {
        byte[] blip = zip(TorchScriptFixtures.folder(TorchScriptFixtures.BLIP), Map.of());

        assertThat(importZip("captioner", "blip-operator", "v1", blip, TestApiKeys.OPERATOR).statusCode()).isEqualTo(403);
        assertThat(importZip("captioner", "blip-anonymous", "v1", blip, null).statusCode()).isEqualTo(401);
        assertThat(get("/models/captioner/blip-operator/v1").statusCode()).isEqualTo(404);
    }

    @Test
    void theImportCommandZipsAFolderAndPublishesIt() throws Exception {
        Path keyFile = temp.resolve("admin.key");
        Files.writeString(keyFile, TestApiKeys.ADMIN);

        int status = ImportCli.run("--url", "http://127.0.0.1:" + port, "--folder",
                TorchScriptFixtures.folder(TorchScriptFixtures.STABLE_DIFFUSION).toString(), "--kind", "text-to-image",
                "--name", "sd-cli", "--version", "v3", "--api-key-file", keyFile.toString());

        assertThat(status).isZero();
        ModelManifest manifest = models.manifest(new ModelRef(ModelKind.TEXT_TO_IMAGE, "sd-cli", "v3"));
        assertThat(manifest.files()).containsKeys("unet.pt", "vae_encoder.pt");
        assertThat(ImportCli.run("--url", "http://127.0.0.1:" + port, "--folder",
                TorchScriptFixtures.folder(TorchScriptFixtures.STABLE_DIFFUSION).toString(), "--kind", "text-to-image",
                "--name", "sd-cli", "--version", "v3", "--api-key-file", keyFile.toString()))
                .as("the same version again is refused").isEqualTo(2);
    }

    private HttpResponse<String> importZip(String kind, String name, String version, byte[] zip, String key)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = (key == null ? HttpRequest.newBuilder(uri("/models/" + kind + "/import?name=" + name
                + "&version=" + version)) : TestApiKeys.request(uri("/models/" + kind + "/import?name=" + name
                + "&version=" + version), key));
        return HTTP.send(request.header("Content-Type", "application/zip").POST(HttpRequest.BodyPublishers.ofByteArray(zip))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] zip(Path folder, Map<String, byte[]> extra) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes); Stream<Path> files = Files.list(folder)) {
            for (Path file : files.sorted().toList()) {
                zip.putNextEntry(new ZipEntry("model/" + file.getFileName()));
                zip.write(Files.readAllBytes(file));
                zip.closeEntry();
            }
            for (Map.Entry<String, byte[]> entry : extra.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey().startsWith("..") ? entry.getKey() : "model/" + entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private long scratchLeftovers() throws IOException {
        Path scratch = store().resolve("imports-scratch");
        if (!Files.isDirectory(scratch)) {
            return 0;
        }
        try (Stream<Path> left = Files.list(scratch)) {
            return left.count();
        }
    }
}
