package io.recap.orchestrator.ingest.format;

import io.recap.core.corpus.CorpusRecord;
import io.recap.core.domain.ImageRef;
import io.recap.core.image.ImageFormat;
import io.recap.core.image.ImageValidationException;
import io.recap.core.json.InvalidJsonException;
import io.recap.core.json.Json;
import io.recap.orchestrator.ingest.format.ItemError.Reason;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import tools.jackson.databind.JsonNode;

/**
 * WebDataset shards as img2dataset writes them: the {@code *.tar} files directly in the corpus directory, each a
 * sequence of samples whose members share a key (the member's name up to the first dot of its file name):
 * {@code key.jpg|jpeg|png|webp}, {@code key.txt} (the alt-text) and {@code key.json} (its {@code caption} is the
 * alt-text when there is no {@code .txt}). Other members ({@code key.seg.png}, {@code key.cls}) are passed over.
 * A sample's {@code key.json}, when it is a JSON object, is its record's metadata, whole (img2dataset's
 * {@code url}, {@code width}, {@code exif} ...); the record's split is {@value CorpusRecord#DEFAULT_SPLIT}.
 * <p>
 * A shard is streamed once and never unpacked: an item's image is a {@code tar:} reference to its member's data
 * (the offset and length in the shard), which the relabel worker and the trainer read in place. Only the first
 * bytes of an image member are read here, to check that it is an image; the worker decodes it in full.
 * <p>
 * A hostile shard cannot exhaust memory or time: a member outside the shard's own namespace ({@code ..}, absolute),
 * an image over the byte limit, a text over {@link #MAX_TEXT_BYTES} are per-item errors; a shard with more than
 * {@link #MAX_MEMBERS_PER_SHARD} members or {@link #MAX_SHARD_BYTES} bytes of member data stops there with one
 * error, as does a truncated shard; the items before are kept.
 */
final class WebDatasetReader {

    /** img2dataset writes 10,000 samples (about 30,000 members) per shard by default; ten times that is no shard. */
    static final int MAX_MEMBERS_PER_SHARD = 300_000;
    /** img2dataset shards are hundreds of MB; a shard declaring more member data than this is refused from there on. */
    static final long MAX_SHARD_BYTES = 64L * 1024 * 1024 * 1024;
    /** Alt-text and its JSON are captions, not documents: the same bound as a sidecar file. */
    static final long MAX_TEXT_BYTES = SidecarFolderReader.MAX_SIDECAR_BYTES;
    /** Enough bytes for {@link ImageFormat#sniff} to tell PNG, JPEG and WebP apart. */
    private static final int HEAD_BYTES = 12;
    private static final int TAR_BLOCK = 512;

    private final ImageFiles files;
    private final long maxImageBytes;
    private final int maxMembers;
    private final long maxShardBytes;

    /** @param maxImageBytes the image byte limit the relabel worker applies ({@code ImageLimits.maxBytes()}) */
    WebDatasetReader(ImageFiles files, long maxImageBytes) {
        this(files, maxImageBytes, MAX_MEMBERS_PER_SHARD, MAX_SHARD_BYTES);
    }

    /** With other shard limits, so that a test can reach them without writing gigabytes. */
    WebDatasetReader(ImageFiles files, long maxImageBytes, int maxMembers, long maxShardBytes) {
        this.files = files;
        this.maxImageBytes = maxImageBytes;
        this.maxMembers = maxMembers;
        this.maxShardBytes = maxShardBytes;
    }

    CorpusRead read(Path dir, List<String> shards) {
        if (shards.isEmpty()) {
            throw new CorpusReadException(CorpusReadException.Reason.NOT_A_CORPUS, "no *.tar shards in " + dir);
        }
        ItemsBuilder out = new ItemsBuilder();
        for (String shard : shards) {
            try {
                readShard(shard, files.confine(dir, shard), out);
            } catch (ItemRejectedException e) {
                out.reject(shard, null, e);
            }
        }
        return out.build(CorpusFormat.WEBDATASET, dir);
    }

    private void readShard(String shard, Path tar, ItemsBuilder out) {
        long fileSize;
        try {
            fileSize = Files.size(tar);
        } catch (IOException e) {
            throw new ItemRejectedException(Reason.UNREADABLE_FILE, "cannot read " + shard + ": " + e.getMessage());
        }
        String fileUri = tar.toUri().toString();
        String shardId = shard.substring(0, shard.length() - ".tar".length());
        Sample pending = null;
        long dataEnd = 0;
        int members = 0;
        long memberBytes = 0;
        try (CountingInputStream counted = new CountingInputStream(new BufferedInputStream(Files.newInputStream(tar)));
                TarArchiveInputStream in = new TarArchiveInputStream(counted)) {
            TarArchiveEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                // The stream stops right after the member's header(s): here begins its data.
                long offset = counted.count();
                String name = entry.getName();
                long size = entry.getSize();
                dataEnd = offset + size;
                if (++members > maxMembers || (memberBytes += size) > maxShardBytes) {
                    flush(shard, shardId, fileUri, pending, out);
                    out.reject(shard, null, Reason.SHARD_LIMIT, "the shard has more than " + maxMembers
                            + " members or " + maxShardBytes + " bytes of member data; the rest of it is not read");
                    return;
                }
                if (dataEnd > fileSize) {
                    flush(shard, shardId, fileUri, pending, out);
                    out.reject(shard + "/" + name, null, Reason.TRUNCATED, "the shard ends at byte " + fileSize
                            + ", inside this member (it would end at " + dataEnd + "); the rest of it is not read");
                    return;
                }
                if (entry.isDirectory() || hidden(name)) {
                    continue;
                }
                String unsafe = unsafeName(name, entry);
                if (unsafe != null) {
                    out.reject(shard + "/" + name.replaceAll("\\p{Cntrl}", "_"), null, Reason.UNSAFE_PATH, unsafe);
                    continue;
                }
                int slash = name.lastIndexOf('/');
                int dot = name.indexOf('.', slash + 1);
                String key = dot < 0 ? name : name.substring(0, dot);
                String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
                if (pending == null || !pending.key.equals(key)) {
                    flush(shard, shardId, fileUri, pending, out);
                    pending = new Sample(key);
                }
                pending.take(name, extension, offset, size, in);
            }
            flush(shard, shardId, fileUri, pending, out);
            pending = null;
            requireEndOfArchive(shard, tar, dataEnd, fileSize);
        } catch (IOException e) {
            // Commons-compress reports a shard cut inside a header or a member's data this way.
            flush(shard, shardId, fileUri, pending, out);
            out.reject(shard, null, Reason.TRUNCATED, "the shard cannot be read past byte " + dataEnd + " ("
                    + e.getMessage() + "); the items before are kept");
        }
    }

    /**
     * A tar ends with two zero blocks after the last member's padded data. A shard cut exactly between two members
     * reads like a shorter, valid tar in commons-compress, so the marker is checked here: without it the shard was
     * cut, and whatever followed is lost.
     */
    private static void requireEndOfArchive(String shard, Path tar, long dataEnd, long fileSize) throws IOException {
        long marker = (dataEnd + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
        boolean present = marker + 2L * TAR_BLOCK <= fileSize;
        if (present) {
            ByteBuffer zeros = ByteBuffer.allocate(2 * TAR_BLOCK);
            try (FileChannel channel = FileChannel.open(tar, StandardOpenOption.READ)) {
                while (zeros.hasRemaining() && channel.read(zeros, marker + zeros.position()) > 0) {
                    // read until the two blocks are in
                }
            }
            for (byte b : zeros.array()) {
                present &= b == 0;
            }
        }
        if (!present) {
            throw new IOException("no end-of-archive marker after byte " + marker + ": the shard was cut");
        }
    }

    private void flush(String shard, String shardId, String fileUri, Sample sample, ItemsBuilder out) {
        if (sample == null) {
            return;
        }
        String path = shard + "/" + (sample.imageMember != null ? sample.imageMember : sample.key);
        if (sample.error != null) {
            out.reject(path, null, sample.error);
            return;
        }
        if (sample.imageMember == null) {
            out.reject(path, null, Reason.MISSING_IMAGE, "key '" + sample.key
                    + "' has no image member (jpg, jpeg, png or webp)");
            return;
        }
        try {
            JsonNode json = json(sample);
            String altText = sample.text != null ? sample.text : captionOf(json);
            ImageRef image = ImageRef.tarMember(fileUri, sample.imageMember, sample.imageOffset, sample.imageLength);
            out.add(path, null, new CorpusRecord(ImageIds.fromPath(shardId + "/" + sample.key), image.uri(), altText,
                    CorpusRecord.DEFAULT_SPLIT, null, Metadata.of(json, Set.of())));
        } catch (ItemRejectedException e) {
            out.reject(path, null, e);
        } catch (IllegalArgumentException e) {
            out.reject(path, null, Reason.UNSAFE_PATH, e.getMessage());
        }
    }

    /**
     * The sample's {@code key.json}, parsed; null when it has none. One that is not JSON costs the sample only
     * where it was to give the alt-text: beside a {@code .txt} the image and its alt-text are whole without it, so
     * only its metadata is lost.
     *
     * @throws ItemRejectedException {@code MALFORMED_LINE} for one that is not JSON, in a sample without a .txt
     */
    private static JsonNode json(Sample sample) {
        if (sample.json == null) {
            return null;
        }
        try {
            return Json.read(sample.json.getBytes(StandardCharsets.UTF_8), JsonNode.class);
        } catch (InvalidJsonException e) {
            if (sample.text != null) {
                return null;
            }
            throw new ItemRejectedException(Reason.MALFORMED_LINE, sample.key + ".json is not JSON: " + e.getMessage());
        }
    }

    private static String captionOf(JsonNode json) {
        if (json == null) {
            return "";
        }
        JsonNode caption = json.path("caption");
        return caption.isString() ? caption.asString().strip() : "";
    }

    /** Why a member name may not be used, or null: it must name a plain file inside the shard's own namespace. */
    private static String unsafeName(String name, TarArchiveEntry entry) {
        if (!entry.isFile() || entry.isSparse()) {
            return "only regular file members are read (links and devices are not followed)";
        }
        if (name.startsWith("/") || name.indexOf('\\') >= 0 || name.chars().anyMatch(Character::isISOControl)) {
            return "member name is absolute or holds a backslash or control character";
        }
        for (String segment : name.split("/", -1)) {
            if (segment.equals("..")) {
                return "member name has a '..' segment";
            }
        }
        return null;
    }

    /** macOS resource forks ({@code ._key.jpg}) and other dot-files are not samples, as in an image folder. */
    private static boolean hidden(String name) {
        int slash = name.lastIndexOf('/', name.length() - 2);
        return name.startsWith(".", slash + 1) && !name.startsWith("./", slash + 1);
    }

    /** The members of one key seen so far. */
    private final class Sample {

        final String key;
        String imageMember;
        long imageOffset;
        long imageLength;
        String text;
        String json;
        ItemRejectedException error;

        Sample(String key) {
            this.key = key;
        }

        void take(String member, String extension, long offset, long size, InputStream in) throws IOException {
            if (error != null) {
                return;
            }
            try {
                if (SidecarFolderReader.IMAGE_EXTENSIONS.contains(extension)) {
                    image(member, offset, size, in);
                } else if (extension.equals("txt")) {
                    text = text(member, size, in).strip();
                } else if (extension.equals("json")) {
                    json = text(member, size, in);
                }
            } catch (ItemRejectedException e) {
                error = e;
                imageMember = imageMember == null && SidecarFolderReader.IMAGE_EXTENSIONS.contains(extension)
                        ? member : imageMember;
            }
        }

        private void image(String member, long offset, long size, InputStream in) throws IOException {
            if (imageMember != null) {
                throw new ItemRejectedException(Reason.DUPLICATE_ID, "key '" + key + "' has two images, "
                        + imageMember + " and " + member);
            }
            if (size > maxImageBytes) {
                throw new ItemRejectedException(Reason.TOO_LARGE, member + " has " + size
                        + " bytes; the image limit is " + maxImageBytes);
            }
            if (size == 0) {
                throw new ItemRejectedException(Reason.UNSUPPORTED_IMAGE, member + " is empty");
            }
            byte[] head = in.readNBytes(HEAD_BYTES);
            try {
                ImageFormat.sniff(head);
            } catch (ImageValidationException e) {
                throw new ItemRejectedException(Reason.UNSUPPORTED_IMAGE, member + " is not a PNG, JPEG or WebP image: "
                        + e.getMessage());
            }
            imageMember = member;
            imageOffset = offset;
            imageLength = size;
        }

        private String text(String member, long size, InputStream in) throws IOException {
            if (size > MAX_TEXT_BYTES) {
                throw new ItemRejectedException(Reason.UNREADABLE_FILE, member + " is larger than " + MAX_TEXT_BYTES
                        + " bytes");
            }
            try {
                String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(in.readNBytes((int) size))).toString();
                return text.startsWith("\uFEFF") ? text.substring(1) : text;
            } catch (CharacterCodingException e) {
                throw new ItemRejectedException(Reason.UNREADABLE_FILE, member + " is not UTF-8 text");
            }
        }
    }

    /** Counts the bytes taken from the shard, skipped ones included, so a member's data offset is known. */
    private static final class CountingInputStream extends FilterInputStream {

        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
