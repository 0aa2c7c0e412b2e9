package io.recap.caption.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.recap.caption.TestCaptioners;
import io.recap.core.domain.ModelRef;
import io.recap.core.model.ModelStore;
import io.recap.ml.torchscript.TorchScriptFixtures;
import io.recap.service.security.TestApiKeys;
import io.recap.testsupport.ReadyServiceTest;
import io.recap.testsupport.TestClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** POST /caption over an imported BLIP (exported from transformers), promoted like any other captioner. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ImportedCaptionerApiTests extends ReadyServiceTest {

    @DynamicPropertySource
    static void store(DynamicPropertyRegistry registry) throws Exception {
        Path root = Files.createTempDirectory("caption-imported-store");
        ModelStore store = new ModelStore(root);
        store.promote(TorchScriptFixtures.publish(store, TorchScriptFixtures.HF_BLIP,
                ModelRef.captioner("blip-imported", "v1")));
        registry.add("recap.caption.model-store", root::toString);
        registry.add("recap.security.api-keys", TestApiKeys::property);
    }

    @Test
    void anImportedCaptionerCaptionsThroughTheSameEndpointInBothStylesAndTheSameImageGetsTheSameCaption()
            throws Exception {
        String image = Base64.getEncoder().encodeToString(TestCaptioners.samplePng());

        HttpResponse<String> first = client().post("/caption", "{\"imageBase64\":\"" + image + "\",\"style\":\"both\"}");
        HttpResponse<String> again = client().post("/caption", "{\"imageBase64\":\"" + image + "\",\"style\":\"both\","
                + "\"beamSize\":1}");

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        JsonNode body = TestClient.json(first);
        assertThat(body.toString()).contains("\"name\":\"blip-imported\"");
        assertThat(body.findValue("short").asString()).isNotBlank().doesNotContain("[DEC]", "[SEP]");
        assertThat(body.findValue("long").asString()).isNotBlank();
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(TestClient.json(again).findValue("short").asString())
                .as("greedy and the default beam may differ, but each is deterministic")
                .isEqualTo(TestClient.json(client().post("/caption", "{\"imageBase64\":\"" + image
                        + "\",\"style\":\"both\",\"beamSize\":1}")).findValue("short").asString());
    }
}
