package io.recap.orchestrator.ingest.format;

import io.recap.core.domain.ImageRef;
import io.recap.core.image.ImageFormat;
import io.recap.core.image.ImageValidationException;
import io.recap.core.store.AllowedRoots;
import io.recap.core.store.UnsafePathException;
import io.recap.orchestrator.ingest.format.ItemError.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;

/**
 * Confines the files a corpus names to the allowed roots (symlinks followed) and checks that an image starts
 * like a PNG, JPEG or WebP. Only the first bytes are read: the relabel worker reads, limits and decodes every image
 * anyway ({@code ImageLoader} → {@code ImageDecoder}) and reports a truncated or corrupt one per image, so
 * decoding here would double the cost of ingest to catch nothing more that matters before then.
 */
final class ImageFiles {

    private static final int HEAD_BYTES = 12;

    private final AllowedRoots roots;

    ImageFiles(AllowedRoots roots) {
        this.roots = roots;
    }

    /**
     * @param dir the corpus directory (a real path under the roots)
     * @param written the image as the corpus names it: relative to {@code dir}, or absolute
     * @return the image's real path
     * @throws ItemRejectedException {@code UNSAFE_PATH}, {@code MISSING_IMAGE}, {@code UNREADABLE_FILE} or
     *         {@code UNSUPPORTED_IMAGE}
     */
    Path image(Path dir, String written) {
        return checked(confine(dir, written));
    }

    /**
     * An image as the neutral corpus manifest names it (recap-core's {@code CorpusRecord#image}): a path relative to
     * {@code dir}, a {@code file:} URI, or a {@code tar:} URI of a member of a tar shard; relative URIs are relative
     * to {@code dir} too, as every path in a manifest is.
     *
     * @param maxImageBytes the relabel worker's image byte limit, which a tar member must not exceed
     * @return a {@code file:} reference to the image's real path, or a {@code tar:} reference into the shard at its
     *         real path
     * @throws ItemRejectedException as {@link #image} does; for a tar member also {@code TOO_LARGE} and
     *         {@code TRUNCATED} (the shard ends before the member does)
     */
    ImageRef reference(Path dir, String written, long maxImageBytes) {
        String lower = written.toLowerCase(Locale.ROOT);
        if (lower.startsWith("tar:")) {
            return tarMember(dir, written, maxImageBytes);
        }
        Path image = lower.startsWith("file:") ? checked(confineUri(dir, written)) : image(dir, written);
        return ImageRef.ofUri(image.toUri().toString());
    }

    private ImageRef tarMember(Path dir, String written, long maxImageBytes) {
        ImageRef.TarMember member;
        try {
            member = ImageRef.ofUri(written).tarMember();
        } catch (IllegalArgumentException e) {
            throw new ItemRejectedException(Reason.MALFORMED_LINE, e.getMessage());
        }
        Path tar = confineUri(dir, member.fileUri());
        if (!Files.isRegularFile(tar)) {
            throw new ItemRejectedException(Reason.MISSING_IMAGE, "no such tar file: " + tar);
        }
        if (member.length() > maxImageBytes) {
            throw new ItemRejectedException(Reason.TOO_LARGE, member.member() + " has " + member.length()
                    + " bytes; the image limit is " + maxImageBytes);
        }
        ByteBuffer head = ByteBuffer.allocate((int) Math.min(HEAD_BYTES, member.length()));
        try (FileChannel channel = FileChannel.open(tar, StandardOpenOption.READ)) {
            long size = channel.size();
            if (member.offset() + member.length() > size) {
                throw new ItemRejectedException(Reason.TRUNCATED, "the tar file " + tar + " has " + size
                        + " bytes; member " + member.member() + " would end at " + (member.offset() + member.length()));
            }
            while (head.hasRemaining() && channel.read(head, member.offset() + head.position()) > 0) {
                // read the first bytes of the member
            }
        } catch (IOException e) {
            throw new ItemRejectedException(Reason.UNREADABLE_FILE, "cannot read " + tar + ": " + e.getMessage());
        }
        try {
            ImageFormat.sniff(Arrays.copyOf(head.array(), head.position()));
        } catch (ImageValidationException e) {
            throw new ItemRejectedException(Reason.UNSUPPORTED_IMAGE, member.member() + " is not a PNG, JPEG or WebP"
                    + " image: " + e.getMessage());
        }
        // The shard's real path, as the webdataset reader references its members, so that the catalog and the
        // worker see one spelling of the same shard however the manifest wrote it.
        return ImageRef.tarMember(tar.toUri().toString(), member.member(), member.offset(), member.length());
    }

    /** Checks that a confined path is a regular file that starts like an image. */
    private static Path checked(Path image) {
        if (!Files.exists(image)) {
            throw new ItemRejectedException(Reason.MISSING_IMAGE, "no such file: " + image);
        }
        if (!Files.isRegularFile(image)) {
            throw new ItemRejectedException(Reason.MISSING_IMAGE, "not a regular file: " + image);
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(image)) {
            head = in.readNBytes(HEAD_BYTES);
        } catch (IOException e) {
            throw new ItemRejectedException(Reason.UNREADABLE_FILE, "cannot read " + image + ": " + e.getMessage());
        }
        if (head.length == 0) {
            throw new ItemRejectedException(Reason.UNSUPPORTED_IMAGE, "the file is empty");
        }
        try {
            ImageFormat.sniff(head);
        } catch (ImageValidationException e) {
            throw new ItemRejectedException(Reason.UNSUPPORTED_IMAGE, "not a PNG, JPEG or WebP image: " + e.getMessage());
        }
        return image;
    }

    /**
     * The real path of {@code dir/written}. Sidecar texts go through here too: they are read, so a symlinked
     * {@code .txt} must not lead out of the roots either.
     *
     * @throws ItemRejectedException {@code UNSAFE_PATH}
     */
    Path confine(Path dir, String written) {
        try {
            return roots.resolve(dir.resolve(written).toString());
        } catch (InvalidPathException | UnsafePathException e) {
            throw new ItemRejectedException(Reason.UNSAFE_PATH, e.getMessage());
        }
    }

    /**
     * The real path of a {@code file:} URI: an absolute one as it is, a relative one ({@code file:images/a.png})
     * relative to {@code dir}. Either is decoded and confined by {@link AllowedRoots#resolve}, which refuses
     * {@code ..} segments, encoded separators and remote hosts.
     *
     * @throws ItemRejectedException {@code UNSAFE_PATH}
     */
    Path confineUri(Path dir, String fileUri) {
        String rest = fileUri.substring("file:".length());
        String uri = fileUri;
        if (!rest.startsWith("/")) {
            String base = dir.toUri().toString();
            uri = (base.endsWith("/") ? base : base + "/") + rest;
        }
        try {
            return roots.resolve(uri);
        } catch (InvalidPathException | UnsafePathException e) {
            throw new ItemRejectedException(Reason.UNSAFE_PATH, e.getMessage());
        }
    }
}
