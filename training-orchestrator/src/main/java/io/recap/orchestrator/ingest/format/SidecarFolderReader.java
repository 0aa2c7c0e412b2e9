package io.recap.orchestrator.ingest.format;

import io.recap.core.corpus.CorpusRecord;
import io.recap.core.store.AllowedRoots;
import io.recap.orchestrator.ingest.format.ItemError.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An image folder with sidecar captions, the kohya/taggui convention: {@code name.png|jpg|jpeg|webp}, with its
 * alt-text in {@code name.txt} (or {@code name.caption}, read when there is no {@code .txt}) beside it, in nested
 * folders too. An image without a sidecar is an item with empty alt-text, not an error. Names starting with
 * {@code .} are passed over (macOS {@code ._name.png} resource forks are not images); symlinked folders are
 * followed while they stay under the allowed roots. Images are taken in the order of their relative paths, so
 * the same folder always gives the same batches. A folder has no splits and no metadata: every record is in
 * {@value CorpusRecord#DEFAULT_SPLIT}, with none.
 */
final class SidecarFolderReader {

    static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "webp");
    static final List<String> SIDECAR_EXTENSIONS = List.of("txt", "caption");
    /** Alt-text is a caption, not a document: a larger sidecar is refused rather than held in memory. */
    static final long MAX_SIDECAR_BYTES = 64 * 1024;

    private final AllowedRoots roots;
    private final ImageFiles files;

    SidecarFolderReader(AllowedRoots roots, ImageFiles files) {
        this.roots = roots;
        this.files = files;
    }

    CorpusRead read(Path dir) {
        ItemsBuilder out = new ItemsBuilder();
        Map<String, Path> images = new TreeMap<>();
        List<ItemError> walkErrors = new ArrayList<>();
        try {
            Files.walkFileTree(dir, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path folder, BasicFileAttributes attrs) {
                            if (folder.equals(dir)) {
                                return FileVisitResult.CONTINUE;
                            }
                            if (hidden(folder)) {
                                return FileVisitResult.SKIP_SUBTREE;
                            }
                            if (!roots.allows(folder.toString())) {
                                walkErrors.add(new ItemError(Reason.UNSAFE_PATH, relative(dir, folder), null,
                                        "the folder leads out of the allowed roots; nothing in it is read"));
                                return FileVisitResult.SKIP_SUBTREE;
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            if (!hidden(file) && IMAGE_EXTENSIONS.contains(extension(file))) {
                                images.put(relative(dir, file), file);
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            if (!hidden(file)) {
                                walkErrors.add(new ItemError(Reason.UNREADABLE_FILE, relative(dir, file), null,
                                        e instanceof FileSystemLoopException ? "symbolic link loop" : e.toString()));
                            }
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            throw new CorpusReadException(CorpusReadException.Reason.NOT_A_CORPUS, "cannot list " + dir + ": " + e, e);
        }
        for (ItemError error : walkErrors) {
            out.reject(error.path(), null, error.reason(), error.detail());
        }
        images.forEach((relative, file) -> {
            try {
                Path image = files.image(dir, relative);
                String altText = sidecarText(dir, relative);
                out.add(relative, null, new CorpusRecord(ImageIds.fromPath(relative), image.toUri().toString(),
                        altText, CorpusRecord.DEFAULT_SPLIT));
            } catch (ItemRejectedException e) {
                out.reject(relative, null, e);
            }
        });
        return out.build(CorpusFormat.SIDECAR, dir);
    }

    /** The first sidecar of {@code relative} that exists, stripped; empty when there is none. */
    private String sidecarText(Path dir, String relative) {
        String base = relative.substring(0, relative.lastIndexOf('.'));
        for (String extension : SIDECAR_EXTENSIONS) {
            String name = base + "." + extension;
            if (!Files.exists(dir.resolve(name))) {
                continue;
            }
            Path sidecar = files.confine(dir, name);
            try {
                if (Files.size(sidecar) > MAX_SIDECAR_BYTES) {
                    throw new ItemRejectedException(Reason.UNREADABLE_FILE, name + " is larger than "
                            + MAX_SIDECAR_BYTES + " bytes");
                }
                String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(Files.readAllBytes(sidecar))).toString();
                return (text.startsWith("\uFEFF") ? text.substring(1) : text).strip();
            } catch (CharacterCodingException e) {
                throw new ItemRejectedException(Reason.UNREADABLE_FILE, name + " is not UTF-8 text");
            } catch (IOException e) {
                throw new ItemRejectedException(Reason.UNREADABLE_FILE, "cannot read " + name + ": " + e.getMessage());
            }
        }
        return "";
    }

    private static boolean hidden(Path path) {
        Path name = path.getFileName();
        return name != null && name.toString().startsWith(".");
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
    }

    /** {@code /}-separated path of {@code file} below {@code dir}, as the folder names it (links not resolved). */
    private static String relative(Path dir, Path file) {
        return dir.relativize(file).toString().replace(java.io.File.separatorChar, '/');
    }
}
