package io.recap.orchestrator.ingest.format;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The metadata a JSON object beside an image brings (a manifest line's other columns, a WebDataset sample's
 * {@code key.json}), as plain JSON values that {@code CorpusRecord} accepts. What the record would refuse is
 * adapted rather than costing the image: a property with a blank name is left out (nothing could ask for it by
 * name), and a number beyond a double's range, which the parser has made infinite, becomes the string
 * {@code "Infinity"} (or {@code "-Infinity"}), since JSON has no such number.
 */
final class Metadata {

    private Metadata() {
    }

    /**
     * @param object a JSON object; anything else has no metadata
     * @param taken properties the reader has used already (the image path, the alt-text), left out
     */
    static Map<String, Object> of(JsonNode object, Collection<String> taken) {
        if (object == null || !object.isObject()) {
            return Map.of();
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> property : object.properties()) {
            if (!property.getKey().isBlank() && !taken.contains(property.getKey())) {
                metadata.put(property.getKey(), value(property.getValue()));
            }
        }
        return metadata;
    }

    private static Object value(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> object = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> property : node.properties()) {
                object.put(property.getKey(), value(property.getValue()));
            }
            return object;
        }
        if (node.isArray()) {
            List<Object> array = new ArrayList<>(node.size());
            for (JsonNode element : node.values()) {
                array.add(value(element));
            }
            return array;
        }
        if (node.isString()) {
            return node.stringValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
        }
        if (node.isNumber()) {
            double number = node.doubleValue();
            return Double.isFinite(number) ? (Object) number : node.asString();
        }
        return null;
    }
}
