package io.recap.orchestrator.registry;

import io.recap.core.domain.ModelRef;

/** A version that does not meet the promotion policy: it stays where it is and the promoted one stays promoted. */
public class PromotionRefusedException extends RuntimeException {

    private final transient PromotionPolicy.Rule rule;
    private final Double value;

    public PromotionRefusedException(ModelRef ref, PromotionPolicy.Rule rule, Double value) {
        super(ref + " is not promoted: " + (value == null
                ? "it has no metric " + rule.metric() + " (evaluate it first)"
                : "its " + rule.metric() + " is " + value + ", below the required " + rule.minimum()));
        this.rule = rule;
        this.value = value;
    }

    public PromotionPolicy.Rule rule() {
        return rule;
    }

    /** The version's value of the metric, or null when it has none. */
    public Double value() {
        return value;
    }
}
