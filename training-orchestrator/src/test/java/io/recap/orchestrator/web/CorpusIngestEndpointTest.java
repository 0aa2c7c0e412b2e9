package io.recap.orchestrator.web;

import static io.recap.orchestrator.support.IngestFixtures.png;
import static io.recap.orchestrator.support.IngestFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.recap.core.store.AllowedRoots;
import io.recap.orchestrator.catalog.CatalogService;
import io.recap.orchestrator.ingest.CorpusIngestService;
import io.recap.orchestrator.support.IngestFixtures.RecordingPublisher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * {@code POST /corpora/{id}/ingest} in an MVC slice: the controller and the problem handler in front of a real
 * {@link CorpusIngestService} whose publisher records the batches instead of sending them to Kafka.
 */
// A controller slice: who may call it is the security filters\' job, tested on the whole service.
@WebMvcTest(CorpusController.class)
@AutoConfigureMockMvc(addFilters = false)
@Import(CorpusIngestEndpointTest.RealIngest.class)
class CorpusIngestEndpointTest {

    private static final Path ROOT;

    static {
        try {
            ROOT = Files.createTempDirectory("ingest-endpoint").toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @TestConfiguration
    static class RealIngest {

        @Bean
        RecordingPublisher recordingPublisher() {
            return new RecordingPublisher();
        }

        @Bean
        CorpusIngestService corpusIngestService(RecordingPublisher publisher) {
            return new CorpusIngestService(AllowedRoots.of(ROOT), publisher, 100, Duration.ofSeconds(5));
        }
    }

    @MockitoBean
    CatalogService catalog;

    @Autowired
    MockMvc mvc;

    @Autowired
    RecordingPublisher publisher;

    /** Two captioned-or-not images, and a JSONL manifest beside them that lists only one, with its own text. */
    @BeforeAll
    static void corpus() {
        Path dir = ROOT.resolve("both");
        png(dir.resolve("a.png"));
        text(dir.resolve("a.txt"), "from the sidecar");
        png(dir.resolve("b.png"));
        text(dir.resolve("list.jsonl"), "{\"image\": \"a.png\", \"text\": \"from the manifest\", \"prompt\": \"a prompt\"}\n"
                + "{\"image\": \"gone.png\", \"text\": \"missing\"}\n");
    }

    @BeforeEach
    void forget() {
        publisher.clear();
    }

    @Test
    void theFormatFieldChoosesTheReaderAndTheReceiptCountsImagesWithoutAltText() throws Exception {
        mvc.perform(post("/corpora/both/ingest").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"manifestDir\": \"both\", \"format\": \"sidecar\"}"))
                .andExpect(status().isAccepted())
                .andExpect(header().string("Location", "/corpora/both"))
                .andExpect(jsonPath("$.format").value("sidecar"))
                .andExpect(jsonPath("$.manifestDir").value(ROOT.resolve("both").toString()))
                .andExpect(jsonPath("$.images").value(2))
                .andExpect(jsonPath("$.withoutAltText").value(1))
                .andExpect(jsonPath("$.batches").value(1))
                .andExpect(jsonPath("$.errorCount").value(0))
                .andExpect(jsonPath("$.errors").isEmpty());
        assertThat(publisher.items().get("a").altText()).isEqualTo("from the sidecar");
    }

    @Test
    void withoutAFormatTheManifestIsDetectedAndItsLeftOutItemsAreListedWithReasonPathAndLine() throws Exception {
        mvc.perform(post("/corpora/both/ingest").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"manifestDir\": \"both\"}"))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.format").value("jsonl"))
                .andExpect(jsonPath("$.images").value(1))
                .andExpect(jsonPath("$.errorCount").value(1))
                .andExpect(jsonPath("$.errors[0].reason").value("MISSING_IMAGE"))
                .andExpect(jsonPath("$.errors[0].path").value("gone.png"))
                .andExpect(jsonPath("$.errors[0].line").value(2));
        assertThat(publisher.items().get("a").altText()).isEqualTo("from the manifest");
    }

    @Test
    void theTextColumnFieldNamesTheColumnTheAltTextIsReadFrom() throws Exception {
        mvc.perform(post("/corpora/both/ingest").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"manifestDir\": \"both\", \"format\": \"jsonl\", \"textColumn\": \"prompt\"}"))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.errors[0].reason").value("MISSING_FIELD"));
        assertThat(publisher.items().get("a").altText()).isEqualTo("a prompt");
    }

    @Test
    void anUnknownFormatIsABadRequestProblemThatNamesTheFieldAndTheFormatsThereAre() throws Exception {
        mvc.perform(post("/corpora/both/ingest").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"manifestDir\": \"both\", \"format\": \"parquet\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.reason").value("UNKNOWN_FORMAT"))
                .andExpect(jsonPath("$.field").value("format"))
                .andExpect(jsonPath("$.detail").value(containsString("'parquet'")))
                .andExpect(jsonPath("$.detail").value(containsString("recap, sidecar, imagefolder, jsonl, csv, webdataset")));
        assertThat(publisher.batches()).isEmpty();
    }
}
