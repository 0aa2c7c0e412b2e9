package io.recap.generation.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.recap.core.domain.ModelRef;
import io.recap.core.model.ModelStore;
import io.recap.ml.torchscript.TorchScriptFixtures;
import io.recap.service.security.TestApiKeys;
import io.recap.testsupport.ReadyServiceTest;
import io.recap.testsupport.TestClient;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** POST /generate over an imported Stable-Diffusion-shaped TorchScript pipeline, promoted like any other model. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ImportedPipelineApiTests extends ReadyServiceTest {

    @DynamicPropertySource
    static void store(DynamicPropertyRegistry registry) throws Exception {
        Path root = Files.createTempDirectory("generation-imported-store");
        ModelStore store = new ModelStore(root);
        store.promote(TorchScriptFixtures.publish(store, TorchScriptFixtures.STABLE_DIFFUSION,
                ModelRef.textToImage("sd-imported", "v1")));
        registry.add("recap.generation.model-store", root::toString);
        registry.add("recap.security.api-keys", TestApiKeys::property);
    }

    @Test
    void anImportedPipelineGeneratesThroughTheSameEndpointAndTheSameSeedGivesTheSameImage() throws Exception {
        String body = "{\"prompt\":\"a red circle\",\"seed\":11,\"steps\":3}";
        HttpResponse<byte[]> first = png(body);
        HttpResponse<byte[]> second = png(body);
        HttpResponse<byte[]> otherSeed = png(body.replace("\"seed\":11", "\"seed\":12"));
        HttpResponse<String> json = client().post("/generate", "{\"prompt\":\"a red circle\",\"seed\":11,\"steps\":3,"
                + "\"count\":2}");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(ImageIO.read(new ByteArrayInputStream(first.body())).getWidth()).isEqualTo(64);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(otherSeed.body()).isNotEqualTo(first.body());
        assertThat(json.statusCode()).as(json.body()).isEqualTo(200);
        assertThat(json.body()).contains("\"name\":\"sd-imported\"", "\"seed\":11", "\"truncated\":false");
        assertThat(json.body().split("iVBORw0KGgo", -1)).hasSize(3);
    }

    @Test
    void aPromptLongerThanTheImportedTokenizersContextIsTruncatedAndSaysSo() throws Exception {
        HttpResponse<String> response = client().post("/generate",
                "{\"prompt\":\"" + "a red circle and ".repeat(30) + "\",\"steps\":2}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"truncated\":true");
    }

    private HttpResponse<byte[]> png(String json) throws Exception {
        return TestClient.HTTP.send(TestApiKeys.request(client().uri("/generate")).header("Content-Type", "application/json")
                .header("Accept", "image/png").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }
}
