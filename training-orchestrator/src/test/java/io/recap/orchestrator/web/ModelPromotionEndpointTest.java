package io.recap.orchestrator.web;

import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelRef;
import io.recap.core.model.ModelIntegrityException;
import io.recap.core.store.LocalBlobStore;
import io.recap.orchestrator.registry.ModelImporter;
import io.recap.orchestrator.registry.ModelRegistry;
import io.recap.orchestrator.registry.PromotionPolicy;
import io.recap.orchestrator.registry.PromotionRefusedException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * {@code POST /models/{kind}/{name}/{version}/promote} refused by the promotion policy (409) or for weights that
 * changed on disk (500), both problem+json with a reason.
 */
// A controller slice: who may call it is the security filters\' job, tested on the whole service.
@WebMvcTest(ModelController.class)
@AutoConfigureMockMvc(addFilters = false)
class ModelPromotionEndpointTest {

    @MockitoBean
    ModelImporter importer;

    @MockitoBean
    ModelRegistry registry;

    @MockitoBean
    LocalBlobStore store;

    @Autowired
    MockMvc mvc;

    @Test
    void aVersionBelowThePolicysMinimumIsAConflictNamingTheMetricItsValueAndTheMinimum() throws Exception {
        ModelRef ref = ModelRef.textToImage("t2i-recap", "v1");
        when(registry.promote(ref)).thenThrow(new PromotionRefusedException(ref,
                new PromotionPolicy.Rule(ModelKind.TEXT_TO_IMAGE, "clip_score", 45), 40.0));

        mvc.perform(post("/models/text-to-image/t2i-recap/v1/promote"))
                .andExpect(status().isConflict())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.reason").value("PROMOTION_REFUSED"))
                .andExpect(jsonPath("$.metric").value("clip_score"))
                .andExpect(jsonPath("$.minimum").value(45.0))
                .andExpect(jsonPath("$.value").value(40.0))
                .andExpect(jsonPath("$.detail").value(
                        "text-to-image/t2i-recap/v1 is not promoted: its clip_score is 40.0, below the required 45.0"));
    }

    @Test
    void aVersionWhoseFilesChangedOnDiskIsAProblemWithItsReason() throws Exception {
        ModelRef ref = ModelRef.textToImage("t2i-recap", "v2");
        when(registry.promote(ref)).thenThrow(new ModelIntegrityException(ref, "weights.params is missing"));

        mvc.perform(post("/models/text-to-image/t2i-recap/v2/promote"))
                .andExpect(status().isInternalServerError())
                .andExpect(jsonPath("$.reason").value("MODEL_INTEGRITY"))
                .andExpect(jsonPath("$.detail").value("text-to-image/t2i-recap/v2: weights.params is missing"));
    }
}
