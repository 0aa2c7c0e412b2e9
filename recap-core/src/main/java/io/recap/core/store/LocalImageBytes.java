package io.recap.core.store;

import io.recap.core.domain.ImageRef;
import io.recap.core.image.ImageValidationException;
import io.recap.core.image.ImageValidationException.Reason;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads the bytes of a local image reference, {@code file:} or {@code tar:}, confined to the allowed roots. Every
 * reader of corpus images goes through here so that a tar member is found the same way everywhere: by seeking to
 * its offset in the tar file and reading exactly its length, never by unpacking or parsing the tar. The byte limit
 * is checked against the size on disk (or the member's declared length) before anything is read.
 */
public final class LocalImageBytes {

    private LocalImageBytes() {
    }

    /**
     * @param ref a {@code file:} or {@code tar:} reference
     * @param maxBytes the image byte limit ({@code ImageLimits.maxBytes()})
     * @throws UnsafePathException when the file (the tar file for a member) is outside the roots
     * @throws NoSuchFileException when there is no such file
     * @throws ImageValidationException {@code TOO_LARGE_BYTES} over the limit, {@code TRUNCATED} when the tar file
     *         ends before the member does
     * @throws IllegalArgumentException for an inline or s3 reference, which are not local files
     */
    public static byte[] read(AllowedRoots roots, ImageRef ref, long maxBytes) throws IOException {
        return switch (ref.source()) {
            case FILE -> readFile(roots.resolve(ref.uri()), maxBytes);
            case TAR -> readMember(roots, ref.tarMember(), maxBytes);
            case S3, INLINE -> throw new IllegalArgumentException("not a local file reference: " + ref);
        };
    }

    private static byte[] readFile(Path path, long maxBytes) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(path.toString(), null, "no such regular file");
        }
        long size = Files.size(path);
        if (size > maxBytes) {
            throw new ImageValidationException(Reason.TOO_LARGE_BYTES,
                    "image of " + size + " bytes exceeds the limit of " + maxBytes);
        }
        return Files.readAllBytes(path);
    }

    private static byte[] readMember(AllowedRoots roots, ImageRef.TarMember member, long maxBytes) throws IOException {
        Path tar = roots.resolve(member.fileUri());
        if (!Files.isRegularFile(tar)) {
            throw new NoSuchFileException(tar.toString(), null, "no such tar file");
        }
        if (member.length() > maxBytes) {
            throw new ImageValidationException(Reason.TOO_LARGE_BYTES, "tar member " + member.member() + " of "
                    + member.length() + " bytes exceeds the limit of " + maxBytes);
        }
        try (FileChannel channel = FileChannel.open(tar, StandardOpenOption.READ)) {
            if (member.offset() + member.length() > channel.size()) {
                throw new ImageValidationException(Reason.TRUNCATED, "tar file " + tar + " has " + channel.size()
                        + " bytes; member " + member.member() + " ends at " + (member.offset() + member.length()));
            }
            ByteBuffer bytes = ByteBuffer.allocate((int) member.length());
            long position = member.offset();
            while (bytes.hasRemaining()) {
                int read = channel.read(bytes, position);
                if (read < 0) {
                    throw new EOFException("tar file " + tar + " ended while reading member " + member.member());
                }
                position += read;
            }
            return bytes.array();
        }
    }
}
