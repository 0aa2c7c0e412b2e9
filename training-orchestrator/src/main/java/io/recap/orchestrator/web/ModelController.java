package io.recap.orchestrator.web;

import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelManifest;
import io.recap.core.domain.ModelRef;
import io.recap.core.store.LocalBlobStore;
import io.recap.orchestrator.evaluation.EvaluationComparison;
import io.recap.orchestrator.evaluation.EvaluationNotFoundException;
import io.recap.orchestrator.evaluation.EvaluationRecord;
import io.recap.orchestrator.registry.ModelImporter;
import io.recap.orchestrator.registry.ModelRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import org.springframework.http.ResponseEntity;
import io.recap.service.web.InvalidFieldException;
import org.springframework.http.MediaType;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /models}: versions by kind, one version's manifest (metrics, lineage), its latest text-to-image evaluation
 * (every prompt and image outcome, and its sample sheet), promotion.
 */
@RestController
@RequestMapping("/models")
public class ModelController {

    private final ModelRegistry registry;
    private final LocalBlobStore store;
    private final ModelImporter importer;

    public ModelController(ModelRegistry registry, LocalBlobStore store, ModelImporter importer) {
        this.registry = registry;
        this.store = store;
        this.importer = importer;
    }

    /**
     * Imports a model exported as TorchScript graphs (docs/byo-models.md): the body is the model's folder as a zip;
     * 201 with the published version's details, 422 naming the file and tensor that do not fit.
     */
    @PostMapping(value = "/{kind}/import", consumes = {"application/zip", MediaType.APPLICATION_OCTET_STREAM_VALUE})
    public ResponseEntity<ModelRegistry.ModelDetails> importModel(@PathVariable String kind, @RequestParam String name,
            @RequestParam(defaultValue = "v1") String version, HttpServletRequest request) throws IOException {
        ModelManifest manifest = importer.importZip(kind(kind), name, version, request.getInputStream());
        ModelRef ref = manifest.ref();
        return ResponseEntity.created(URI.create("/models/" + ref.kind().pathSegment() + "/" + ref.name() + "/"
                + ref.version())).body(registry.get(ref));
    }

    @GetMapping
    public List<ModelRegistry.ModelSummary> list(@RequestParam(required = false) String kind) {
        return registry.list(kind == null || kind.isBlank() ? null : kind(kind));
    }

    /**
     * Text-to-image models evaluated with the same settings against {@code baseline}: each one's metrics and the
     * paired bootstrap interval of its difference from the baseline ({@link EvaluationComparison}).
     */
    @GetMapping("/comparison")
    public EvaluationComparison compare(@RequestParam String baseline, @RequestParam List<String> models) {
        ModelRef base = parse("baseline", baseline);
        List<ModelRef> others = models.stream().map(text -> parse("models", text)).toList();
        for (ModelRef ref : others) {
            registry.get(ref);
        }
        registry.get(base);
        try {
            return EvaluationComparison.compare(store, base, others);
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException("models", e.getMessage());
        }
    }

    @GetMapping("/{kind}/{name}/{version}")
    public ModelRegistry.ModelDetails get(@PathVariable String kind, @PathVariable String name,
            @PathVariable String version) {
        return registry.get(ref(kind, name, version));
    }

    @GetMapping(value = "/{kind}/{name}/{version}/evaluation", produces = MediaType.APPLICATION_JSON_VALUE)
    public byte[] evaluation(@PathVariable String kind, @PathVariable String name, @PathVariable String version) {
        return evaluationFile(ref(kind, name, version), EvaluationRecord.FILE);
    }

    @GetMapping(value = "/{kind}/{name}/{version}/evaluation/samples.png", produces = MediaType.IMAGE_PNG_VALUE)
    public byte[] evaluationSamples(@PathVariable String kind, @PathVariable String name,
            @PathVariable String version) {
        return evaluationFile(ref(kind, name, version), EvaluationRecord.SAMPLES);
    }

    private byte[] evaluationFile(ModelRef ref, String file) {
        registry.get(ref);
        return store.get(EvaluationRecord.key(ref, file)).orElseThrow(() -> new EvaluationNotFoundException(ref));
    }

    @PostMapping("/{kind}/{name}/{version}/promote")
    public ModelRegistry.PromotionResult promote(@PathVariable String kind, @PathVariable String name,
            @PathVariable String version) {
        return registry.promote(ref(kind, name, version));
    }

    private static ModelRef parse(String param, String text) {
        try {
            return ModelRef.parse(text).requireKind(ModelKind.TEXT_TO_IMAGE);
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException(param, param + " must be text-to-image/name/version refs: "
                    + e.getMessage());
        }
    }

    private static ModelKind kind(String kind) {
        try {
            return ModelKind.parse(kind);
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException("kind", e.getMessage());
        }
    }

    private static ModelRef ref(String kind, String name, String version) {
        ModelKind modelKind = kind(kind);
        try {
            return new ModelRef(modelKind, name, version);
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException(e.getMessage().startsWith("model name") ? "name" : "version",
                    e.getMessage());
        }
    }
}
