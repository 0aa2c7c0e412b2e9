package io.recap.orchestrator.web;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.recap.orchestrator.jobs.JobSpec;
import io.recap.orchestrator.jobs.JobSpecs;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * Body of {@code POST /jobs}, typed as it is read: the {@code kind} names the {@link JobSpec} record the
 * {@code spec} object binds to (see {@link JobSpecs}), so a request that reaches the controller holds a valid spec.
 *
 * @param spec the kind's fields, bound to its record
 * @param priority higher runs first (default 0, -1000..1000)
 * @param pool the pool to run in (default: the kind's pool from {@code recap.scheduling.kind-pools})
 * @param params free-form string overrides handed to the trainer
 */
public record JobRequest(JobSpec spec, Integer priority, String pool, Map<String, Object> params) {

    /**
     * Reads the JSON body. The kind sits beside the spec rather than inside it, so the spec is bound here, once the
     * kind is known; a refusal is an {@code InvalidFieldException} that the problem handler answers as 400 naming
     * {@code kind}, {@code spec} or {@code spec.<field>}. A spec that is not a JSON object stays Jackson's to refuse.
     *
     * @param kind CAPTIONER_FINETUNE, RELABEL, T2I_FINETUNE or EVALUATE (any case, {@code -} for {@code _})
     */
    @JsonCreator
    public static JobRequest read(@JsonProperty("kind") String kind, @JsonProperty("spec") ObjectNode spec,
            @JsonProperty("priority") Integer priority, @JsonProperty("pool") String pool,
            @JsonProperty("params") Map<String, Object> params) {
        return new JobRequest(JobSpecs.bind(JobSpecs.kind(kind), spec), priority, pool, params);
    }
}
