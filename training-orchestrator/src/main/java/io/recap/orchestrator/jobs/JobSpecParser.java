package io.recap.orchestrator.jobs;

import io.recap.core.domain.CaptionMix;
import io.recap.core.domain.CaptionStyle;
import io.recap.core.domain.JobKind;
import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelRef;
import io.recap.core.domain.Require;
import io.recap.service.web.InvalidFieldException;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns the {@code spec} object of a job request into the {@link JobSpec} of its kind. Every problem is
 * an {@link InvalidFieldException} naming the field ({@code spec.captionMix}); unknown fields are
 * refused so that a typo is not silently ignored.
 *
 * <p>Model references are accepted as {@code "captioner/name/version"} or
 * {@code {"kind":"captioner","name":..,"version":..}}; a caption mix as a preset ({@code mix}, {@code short},
 * {@code long}, {@code alt}), as {@code "short=0.5,long=0.5"} or as {@code {"shortWeight":..}}.
 */
public final class JobSpecParser {

    private static final Map<JobKind, Set<String>> FIELDS = Map.of(
            JobKind.CAPTIONER_FINETUNE, Set.of("humanSet", "corpusId", "preset", "baseModel"),
            JobKind.RELABEL, Set.of("corpusId", "captioner", "styles"),
            JobKind.T2I_FINETUNE, Set.of("corpusId", "captioner", "captionMix", "preset", "baseModel"),
            JobKind.EVALUATE, Set.of("model"));

    private JobSpecParser() {
    }

    public static JobKind parseKind(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidFieldException("kind", "kind is required (one of " + List.of(JobKind.values()) + ")");
        }
        try {
            return JobKind.valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException("kind", "unknown kind '" + text + "' (one of "
                    + List.of(JobKind.values()) + ")");
        }
    }

    public static JobSpec parse(JobKind kind, Map<String, Object> spec) {
        if (spec == null) {
            throw new InvalidFieldException("spec", "spec is required for " + kind);
        }
        for (String name : spec.keySet()) {
            if (!FIELDS.get(kind).contains(name)) {
                throw new InvalidFieldException("spec." + name, "unknown field spec." + name + " for " + kind
                        + " (allowed: " + FIELDS.get(kind).stream().sorted().toList() + ")");
            }
        }
        Fields f = new Fields(spec);
        JobSpec parsed = switch (kind) {
            case CAPTIONER_FINETUNE -> {
                String humanSet = f.optionalId("humanSet");
                String corpusId = f.optionalId("corpusId");
                if (humanSet == null && corpusId == null) {
                    throw new InvalidFieldException("spec.humanSet", "one of spec.humanSet or spec.corpusId is required");
                }
                yield new CaptionerFinetuneSpec(humanSet, corpusId, f.preset("preset"),
                        f.optionalModel("baseModel", ModelKind.CAPTIONER));
            }
            case RELABEL -> new RelabelSpec(f.requiredId("corpusId"), f.requiredModel("captioner", ModelKind.CAPTIONER),
                    f.styles("styles"));
            case T2I_FINETUNE -> {
                CaptionMix mix = f.mix("captionMix");
                boolean altOnly = mix.shortWeight() == 0 && mix.longWeight() == 0;
                yield new T2iFinetuneSpec(f.requiredId("corpusId"), altOnly
                        ? f.optionalModel("captioner", ModelKind.CAPTIONER)
                        : f.requiredModel("captioner", ModelKind.CAPTIONER), mix, f.preset("preset"),
                        f.optionalModel("baseModel", ModelKind.TEXT_TO_IMAGE));
            }
            case EVALUATE -> new EvaluateSpec(f.requiredModel("model", null));
        };
        return parsed;
    }

    /** Reads fields of a JSON object (as plain Java values), naming {@code spec.<field>} in every error. */
    private record Fields(Map<String, Object> values) {

        String requiredId(String name) {
            String id = optionalId(name);
            if (id == null) {
                throw missing(name);
            }
            return id;
        }

        String optionalId(String name) {
            Object value = values.get(name);
            if (value == null) {
                return null;
            }
            return check(name, () -> Require.safeId(string(name, value), "spec." + name));
        }

        String preset(String name) {
            Object value = values.get(name);
            if (value == null) {
                throw missing(name);
            }
            String preset = string(name, value).trim().toLowerCase(Locale.ROOT);
            if (!Presets.ALL.contains(preset)) {
                throw new InvalidFieldException("spec." + name, "spec." + name + " must be one of " + Presets.ALL
                        + " but was '" + value + "'");
            }
            return preset;
        }

        ModelRef requiredModel(String name, ModelKind expected) {
            ModelRef ref = optionalModel(name, expected);
            if (ref == null) {
                throw missing(name);
            }
            return ref;
        }

        ModelRef optionalModel(String name, ModelKind expected) {
            Object value = values.get(name);
            if (value == null) {
                return null;
            }
            ModelRef ref = check(name, () -> {
                if (value instanceof String text) {
                    return ModelRef.parse(text);
                }
                if (value instanceof Map<?, ?> map) {
                    Object kind = map.get("kind");
                    return new ModelRef(ModelKind.parse(kind == null ? null : kind.toString()),
                            (String) map.get("name"), (String) map.get("version"));
                }
                throw new IllegalArgumentException("must be \"kind/name/version\" or {kind, name, version}");
            });
            if (expected != null && ref.kind() != expected) {
                throw new InvalidFieldException("spec." + name, "spec." + name + " must be a "
                        + expected.pathSegment() + " model but was " + ref);
            }
            return ref;
        }

        Set<CaptionStyle> styles(String name) {
            Object value = values.get(name);
            if (value == null) {
                return EnumSet.of(CaptionStyle.SHORT, CaptionStyle.LONG);
            }
            if (!(value instanceof Collection<?> list) || list.isEmpty()) {
                throw new InvalidFieldException("spec." + name, "spec." + name
                        + " must be a non-empty list of styles (short, long)");
            }
            Set<CaptionStyle> styles = new LinkedHashSet<>();
            for (Object item : list) {
                CaptionStyle style = check(name, () -> CaptionStyle.parse(item == null ? null : item.toString()));
                if (!style.isGenerated()) {
                    throw new InvalidFieldException("spec." + name, "spec." + name + ": style " + style
                            + " is not written by a captioner (use short, long)");
                }
                styles.add(style);
            }
            return EnumSet.copyOf(styles);
        }

        CaptionMix mix(String name) {
            Object value = values.get(name);
            if (value == null) {
                throw missing(name);
            }
            return check(name, () -> {
                if (value instanceof String text) {
                    return CaptionMix.parse(text);
                }
                if (value instanceof Map<?, ?> map) {
                    return new CaptionMix(number(map.get("altWeight")), number(map.get("shortWeight")),
                            number(map.get("longWeight")));
                }
                throw new IllegalArgumentException("must be a preset (mix, short, long, alt), \"short=0.5,long=0.5\""
                        + " or {altWeight, shortWeight, longWeight}");
            });
        }

        private static double number(Object value) {
            if (value == null) {
                return 0;
            }
            if (value instanceof Number n) {
                return n.doubleValue();
            }
            throw new IllegalArgumentException("weights must be numbers but got '" + value + "'");
        }

        private static String string(String name, Object value) {
            if (!(value instanceof String text)) {
                throw new InvalidFieldException("spec." + name, "spec." + name + " must be a string");
            }
            return text;
        }

        private static InvalidFieldException missing(String name) {
            return new InvalidFieldException("spec." + name, "spec." + name + " is required");
        }

        private static <T> T check(String name, java.util.function.Supplier<T> parse) {
            try {
                return parse.get();
            } catch (InvalidFieldException e) {
                throw e;
            } catch (IllegalArgumentException | ClassCastException e) {
                String message = e.getMessage() == null ? "invalid value" : e.getMessage();
                String prefix = "spec." + name;
                throw new InvalidFieldException(prefix, message.startsWith(prefix) ? message
                        : prefix + ": " + message);
            }
        }
    }
}
