package io.recap.orchestrator.registry;

import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelManifest;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a version must have measured before it may be promoted: rules {@code kind:metric>=minimum}, for example
 * {@code text-to-image:clip_score>=45} or {@code captioner:eval.long.recall>=0.8}. A version of a kind with rules
 * is promoted only when its manifest holds every such metric at or above its minimum, so a model that was never
 * evaluated, or measured worse, cannot reach the services by mistake. No rules: every version may be promoted.
 */
public final class PromotionPolicy {

    private static final Pattern RULE = Pattern.compile("\\s*([a-z-]+)\\s*:\\s*([A-Za-z0-9_.-]+)\\s*>=\\s*(\\S+)\\s*");

    /** One rule: versions of {@code kind} need {@code metric} at least {@code minimum}. */
    public record Rule(ModelKind kind, String metric, double minimum) {
    }

    private final List<Rule> rules;

    private PromotionPolicy(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** @throws IllegalArgumentException naming the first rule that is not {@code kind:metric>=number} */
    public static PromotionPolicy parse(List<String> texts) {
        List<Rule> rules = new ArrayList<>();
        for (String text : texts == null ? List.<String>of() : texts) {
            Matcher m = RULE.matcher(text);
            if (!m.matches()) {
                throw new IllegalArgumentException("promotion rule '" + text
                        + "' is not kind:metric>=number (e.g. text-to-image:clip_score>=45)");
            }
            ModelKind kind;
            double minimum;
            try {
                kind = ModelKind.parse(m.group(1));
                minimum = Double.parseDouble(m.group(3));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("promotion rule '" + text + "': " + e.getMessage(), e);
            }
            if (!Double.isFinite(minimum)) {
                throw new IllegalArgumentException("promotion rule '" + text + "': the minimum must be finite");
            }
            rules.add(new Rule(kind, m.group(2), minimum));
        }
        return new PromotionPolicy(rules);
    }

    public List<Rule> rules() {
        return rules;
    }

    /** @throws PromotionRefusedException for the first rule of the version's kind it does not meet */
    public void check(ModelManifest manifest) {
        for (Rule rule : rules) {
            if (rule.kind() != manifest.kind()) {
                continue;
            }
            Double value = manifest.metrics().get(rule.metric());
            if (value == null || value < rule.minimum()) {
                throw new PromotionRefusedException(manifest.ref(), rule, value);
            }
        }
    }
}
