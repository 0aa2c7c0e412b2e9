package io.recap.ml.torchscript;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.recap.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * An imported model's Hugging Face {@code tokenizer.json}, read offline by DJL's native tokenizers, with the special
 * tokens its {@link TorchScriptConfig.Tokens} names resolved to ids. Sequences are built here, not by the
 * tokenizer's post-processor, so that BLIP (which starts a caption with its decoder token) and CLIP (start and end
 * tokens, padded to 77) are framed the same way: {@code bos, words..., [eos], pad...}.
 */
public final class ImportedTokenizer implements AutoCloseable {

    private final HuggingFaceTokenizer tokenizer;
    private final TorchScriptConfig.Tokens tokens;
    private final int bos;
    private final int eos;
    private final int pad;
    private final int vocabularySize;
    private final Set<Integer> special;

    private ImportedTokenizer(HuggingFaceTokenizer tokenizer, TorchScriptConfig.Tokens tokens,
            Map<String, Integer> ids, Set<Integer> special, int vocabularySize) {
        this.tokenizer = tokenizer;
        this.tokens = tokens;
        this.bos = id(ids, tokens.bos(), "bos");
        this.eos = id(ids, tokens.eos(), "eos");
        this.pad = id(ids, tokens.pad(), "pad");
        this.special = Set.copyOf(special);
        this.vocabularySize = vocabularySize;
    }

    public static ImportedTokenizer load(Path directory, TorchScriptConfig.Tokens tokens) throws IOException {
        Path file = directory.resolve(TorchScriptConfig.TOKENIZER_FILE);
        if (!Files.isRegularFile(file)) {
            throw new TorchScriptImportException(TorchScriptConfig.TOKENIZER_FILE, "missing");
        }
        Map<String, Integer> ids = new HashMap<>();
        Set<Integer> special = new HashSet<>();
        int size;
        try {
            JsonNode root = Json.mapper().readTree(Files.readAllBytes(file));
            JsonNode vocab = root.path("model").path("vocab");
            if (vocab.isObject()) {
                vocab.properties().forEach(entry -> ids.put(entry.getKey(), entry.getValue().asInt()));
            }
            for (JsonNode added : root.path("added_tokens")) {
                ids.put(added.path("content").asString(), added.path("id").asInt());
                if (added.path("special").asBoolean(false)) {
                    special.add(added.path("id").asInt());
                }
            }
            size = ids.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        } catch (RuntimeException e) {
            throw new TorchScriptImportException(TorchScriptConfig.TOKENIZER_FILE, "unreadable (" + e.getMessage() + ")");
        }
        HuggingFaceTokenizer tokenizer;
        try {
            tokenizer = HuggingFaceTokenizer.newInstance(file, Map.of(
                    "addSpecialTokens", "false", "padding", "false", "truncation", "false"));
        } catch (RuntimeException e) {
            throw new TorchScriptImportException(TorchScriptConfig.TOKENIZER_FILE,
                    "the Hugging Face tokenizers library cannot read it (" + e.getMessage() + ")", e);
        }
        try {
            return new ImportedTokenizer(tokenizer, tokens, ids, special, size);
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    private static int id(Map<String, Integer> ids, String token, String role) {
        Integer id = ids.get(token);
        if (id == null) {
            throw new TorchScriptImportException(TorchScriptConfig.TOKENIZER_FILE,
                    "has no token \"" + token + "\" (the " + role + " token named in " + TorchScriptConfig.FILE_NAME + ")");
        }
        return id;
    }

    /** The words' ids, no special tokens added. */
    public long[] words(String text) {
        return tokenizer.encode(text, false, false).getIds();
    }

    /** {@code bos, words...}, truncated to leave {@code reserve} slots of the context free. */
    public int[] prefix(String text, int reserve) {
        long[] words = words(text == null ? "" : text);
        int length = Math.min(words.length, tokens.maxTokens() - 1 - reserve);
        int[] ids = new int[1 + Math.max(0, length)];
        ids[0] = bos;
        for (int i = 0; i < length; i++) {
            ids[1 + i] = (int) words[i];
        }
        return ids;
    }

    /** {@code bos, words..., eos, pad...}: exactly {@code maxTokens} ids, as a CLIP text encoder takes them. */
    public long[] padded(String text) {
        int[] prefix = prefix(text, 1);
        long[] ids = new long[tokens.maxTokens()];
        java.util.Arrays.fill(ids, pad);
        for (int i = 0; i < prefix.length; i++) {
            ids[i] = prefix[i];
        }
        ids[prefix.length] = eos;
        return ids;
    }

    /** The text of generated ids, special tokens left out. */
    public String decode(int[] ids) {
        long[] words = java.util.Arrays.stream(ids).filter(id -> !special.contains(id)).asLongStream().toArray();
        return tokenizer.decode(words, true).strip();
    }

    public int bos() {
        return bos;
    }

    public int eos() {
        return eos;
    }

    public int pad() {
        return pad;
    }

    public int maxTokens() {
        return tokens.maxTokens();
    }

    /** Ids of the tokenizer's special tokens (a caption never contains them). */
    public boolean isSpecial(int id) {
        return special.contains(id);
    }

    /** One more than the largest id the tokenizer file names. */
    public int vocabularySize() {
        return vocabularySize;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
