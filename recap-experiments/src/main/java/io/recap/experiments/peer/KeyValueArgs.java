package io.recap.experiments.peer;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code key=value} command-line arguments, as every benchmark here takes them ({@code key} alone means ""). */
final class KeyValueArgs {

    private KeyValueArgs() {
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            String[] pair = arg.split("=", 2);
            options.put(pair[0], pair.length > 1 ? pair[1] : "");
        }
        return options;
    }
}
