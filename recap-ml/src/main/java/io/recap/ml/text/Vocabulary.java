package io.recap.ml.text;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Token strings and their ids. Ids 0..3 are {@code <pad>}, {@code <bos>}, {@code <eos>},
 * {@code <unk>}; then one {@code <style>} token per caption style; then corpus words, most
 * frequent first (ties alphabetical, so a corpus always yields the same ids).
 *
 * <p>Stored as UTF-8 text, one token per line, the line number being the id.
 */
public final class Vocabulary {

    public static final String PAD = "<pad>";
    public static final String BOS = "<bos>";
    public static final String EOS = "<eos>";
    public static final String UNK = "<unk>";
    public static final int PAD_ID = 0;
    public static final int BOS_ID = 1;
    public static final int EOS_ID = 2;
    public static final int UNK_ID = 3;
    /** The file name used when a vocabulary is saved into a model directory. */
    public static final String FILE_NAME = "vocabulary.txt";

    private static final List<String> SPECIAL = List.of(PAD, BOS, EOS, UNK);

    private final List<String> tokens;
    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> styles = new ArrayList<>();

    private Vocabulary(List<String> tokens) {
        if (tokens.size() < SPECIAL.size() || !tokens.subList(0, SPECIAL.size()).equals(SPECIAL)) {
            throw new IllegalArgumentException("a vocabulary starts with " + SPECIAL);
        }
        this.tokens = List.copyOf(tokens);
        for (int i = 0; i < tokens.size(); i++) {
            if (ids.putIfAbsent(tokens.get(i), i) != null) {
                throw new IllegalArgumentException("duplicate token: " + tokens.get(i));
            }
            if (i >= SPECIAL.size() && isMarker(tokens.get(i))) {
                styles.add(tokens.get(i).substring(1, tokens.get(i).length() - 1));
            }
        }
    }

    /** The token that selects a caption style: {@code short} becomes {@code <short>}. */
    public static String styleToken(String style) {
        String name = style.trim().toLowerCase(Locale.ROOT);
        return isMarker(name) ? name : "<" + name + ">";
    }

    private static boolean isMarker(String token) {
        return token.length() > 2 && token.startsWith("<") && token.endsWith(">");
    }

    /** Builds a vocabulary of every word seen at least {@code minFrequency} times. */
    public static Vocabulary build(Iterable<String> captions, List<String> styles, int minFrequency) {
        Map<String, Integer> counts = new HashMap<>();
        for (String caption : captions) {
            for (String word : WordSplitter.split(caption)) {
                counts.merge(word, 1, Integer::sum);
            }
        }
        Set<String> tokens = new LinkedHashSet<>(SPECIAL);
        styles.forEach(style -> tokens.add(styleToken(style)));
        counts.entrySet().stream()
                .filter(entry -> entry.getValue() >= minFrequency)
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .forEach(entry -> tokens.add(entry.getKey()));
        return new Vocabulary(new ArrayList<>(tokens));
    }

    public static Vocabulary load(Path file) throws IOException {
        return new Vocabulary(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    public void save(Path file) throws IOException {
        Files.write(file, tokens, StandardCharsets.UTF_8);
    }

    public int size() {
        return tokens.size();
    }

    /** The id of a token, or {@link #UNK_ID} for a word the corpus never had. */
    public int id(String token) {
        return ids.getOrDefault(token, UNK_ID);
    }

    public boolean contains(String token) {
        return ids.containsKey(token);
    }

    public String token(int id) {
        return tokens.get(id);
    }

    /** The id of a style's prefix token; fails for a style this vocabulary was not built with. */
    public int styleId(String style) {
        Integer id = ids.get(styleToken(style));
        if (id == null) {
            throw new IllegalArgumentException("unknown caption style '" + style + "'; known: " + styles);
        }
        return id;
    }

    /** Style names (without brackets), in id order. */
    public List<String> styles() {
        return Collections.unmodifiableList(styles);
    }

    /** Whether an id is a control token (special or style) rather than a word. */
    public boolean isControl(int id) {
        return id < SPECIAL.size() || isMarker(tokens.get(id));
    }

    public List<String> tokens() {
        return tokens;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Vocabulary vocabulary && tokens.equals(vocabulary.tokens);
    }

    @Override
    public int hashCode() {
        return tokens.hashCode();
    }

    @Override
    public String toString() {
        return "Vocabulary[" + tokens.size() + " tokens, styles " + styles + "]";
    }
}
