package io.recap.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.util.stream.Stream;

/**
 * The platform's data directory as the launcher writes into it: {@code corpora/} (the orchestrator's and the relabel
 * workers' image root) and {@code store/} (the model store), with the path the platform's services know it by. In
 * the local mode that is the run's own data directory, seen alike by the launcher and the services it starts; against
 * a running platform it is the platform's directory, reached from this host (a bind mount of a container's
 * {@code /recap-data}), whose services may know it by another path and run as another user.
 */
final class PlatformData {

    private final Path host;
    private final String platformPath;
    private final boolean shared;

    private PlatformData(Path host, String platformPath, boolean shared) {
        this.host = host.toAbsolutePath().normalize();
        this.platformPath = platformPath.endsWith("/") && platformPath.length() > 1
                ? platformPath.substring(0, platformPath.length() - 1) : platformPath;
        this.shared = shared;
    }

    /** The local mode: the services the launcher starts read {@code data} by the same path. */
    static PlatformData local(Path data) {
        Path absolute = data.toAbsolutePath().normalize();
        return new PlatformData(absolute, absolute.toString(), false);
    }

    /** A running platform's directory: {@code host} here, {@code platformPath} in its services. */
    static PlatformData shared(Path host, String platformPath) {
        return new PlatformData(host, platformPath, true);
    }

    /** Where the corpus {@code corpusId} is written, on this host. */
    Path corpusDir(String corpusId) {
        return host.resolve("corpora").resolve(corpusId);
    }

    /** The model store's root on this host ({@code RECAP_STORE}). */
    Path store() {
        return host.resolve("store");
    }

    /** How the platform's services name {@code hostPath}, a path under this directory (the ingest's manifestDir). */
    String platformPath(Path hostPath) {
        Path relative = host.relativize(hostPath.toAbsolutePath().normalize());
        if (relative.startsWith("..")) {
            throw new IllegalArgumentException(hostPath + " is not under the platform's data directory " + host);
        }
        String suffix = relative.toString().replace(host.getFileSystem().getSeparator(), "/");
        return suffix.isEmpty() ? platformPath : platformPath + "/" + suffix;
    }

    /**
     * Gives what the launcher wrote at {@code hostPath} (the path, everything below it, and the directories between it
     * and the data directory) to the data directory's owner and group: the user the platform's services run as (uid
     * 10001 in the images), who must be able to publish models next to a shipped base and to write where the launcher
     * made a directory. Only a root launcher may give files away; one running as that owner changes nothing. A no-op
     * in the local mode, where the launcher's user runs the services too.
     *
     * @throws IllegalStateException when the launcher may not change an owner
     */
    void handOver(Path hostPath) {
        if (!shared) {
            return;
        }
        Path target = hostPath.toAbsolutePath().normalize();
        try {
            PosixFileAttributeView rootView = Files.getFileAttributeView(host, PosixFileAttributeView.class);
            if (rootView == null) {
                // Not a POSIX file system: its own access control applies.
                return;
            }
            PosixFileAttributes root = rootView.readAttributes();
            for (Path parent = target.getParent(); parent != null && parent.startsWith(host) && !parent.equals(host);
                    parent = parent.getParent()) {
                give(parent, root.owner(), root.group());
            }
            try (Stream<Path> tree = Files.walk(target)) {
                for (Path entry : (Iterable<Path>) tree::iterator) {
                    give(entry, root.owner(), root.group());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hand " + target + " over to the platform", e);
        }
    }

    private void give(Path entry, UserPrincipal owner, GroupPrincipal group) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(entry, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (view.readAttributes().owner().equals(owner)) {
            // The launcher runs as the services' user, or wrote nothing here: the group is left as it is, since the
            // store's 0755 and 0644 give a group nothing an owner needs.
            return;
        }
        try {
            view.setOwner(owner);
            view.setGroup(group);
        } catch (FileSystemException e) {
            throw new IllegalStateException("cannot give " + entry + " to " + owner.getName() + ":" + group.getName()
                    + ", the owner of the platform's data directory " + host + " (the platform's services must be able"
                    + " to write there): run the launcher as that user or as root", e);
        }
    }

    @Override
    public String toString() {
        return shared ? host + " (the platform's " + platformPath + ")" : host.toString();
    }
}
