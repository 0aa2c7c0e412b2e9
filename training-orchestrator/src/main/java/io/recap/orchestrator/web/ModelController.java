package io.recap.orchestrator.web;

import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelRef;
import io.recap.orchestrator.registry.ModelRegistry;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /models}: versions by kind, one version's manifest (metrics, lineage), promotion. */
@RestController
@RequestMapping("/models")
public class ModelController {

    private final ModelRegistry registry;

    public ModelController(ModelRegistry registry) {
        this.registry = registry;
    }

    @GetMapping
    public List<ModelRegistry.ModelSummary> list(@RequestParam(required = false) String kind) {
        return registry.list(kind == null || kind.isBlank() ? null : kind(kind));
    }

    @GetMapping("/{kind}/{name}/{version}")
    public ModelRegistry.ModelDetails get(@PathVariable String kind, @PathVariable String name,
            @PathVariable String version) {
        return registry.get(ref(kind, name, version));
    }

    @PostMapping("/{kind}/{name}/{version}/promote")
    public ModelRegistry.PromotionResult promote(@PathVariable String kind, @PathVariable String name,
            @PathVariable String version) {
        return registry.promote(ref(kind, name, version));
    }

    private static ModelKind kind(String kind) {
        try {
            return ModelKind.parse(kind);
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException("kind", e.getMessage());
        }
    }

    private static ModelRef ref(String kind, String name, String version) {
        ModelKind modelKind = kind(kind);
        try {
            return new ModelRef(modelKind, name, version);
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException(e.getMessage().startsWith("model name") ? "name" : "version",
                    e.getMessage());
        }
    }
}
