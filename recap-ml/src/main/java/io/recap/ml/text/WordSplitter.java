package io.recap.ml.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits text into lower-case words and single punctuation marks, and joins them back.
 * Word-level is enough for caption vocabularies of a few thousand words and keeps every
 * token readable in logs and tests.
 */
public final class WordSplitter {

    /** A word (letters and digits, with an optional apostrophe suffix) or one other visible character. */
    private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}]+(?:'[\\p{L}]+)?|[^\\s\\p{L}\\p{N}]");
    private static final String NO_SPACE_BEFORE = ".,;:!?)%'";
    private static final String NO_SPACE_AFTER = "(";

    private WordSplitter() {
    }

    /** Lower-cased words and punctuation marks of {@code text}, in order. */
    public static List<String> split(String text) {
        List<String> words = new ArrayList<>();
        Matcher matcher = TOKEN.matcher(text.toLowerCase(Locale.ROOT));
        while (matcher.find()) {
            words.add(matcher.group());
        }
        return words;
    }

    /** Joins words with single spaces, attaching punctuation to the word before it. */
    public static String join(List<String> words) {
        StringBuilder text = new StringBuilder();
        String previous = null;
        for (String word : words) {
            boolean attach = previous == null
                    || (word.length() == 1 && NO_SPACE_BEFORE.contains(word))
                    || NO_SPACE_AFTER.equals(previous);
            if (!attach) {
                text.append(' ');
            }
            text.append(word);
            previous = word;
        }
        return text.toString();
    }
}
