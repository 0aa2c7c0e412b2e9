package io.recap.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformDataTest {

    @TempDir
    Path tmp;

    @Test
    void pathsUnderTheSharedDirectoryAreSentAsThePlatformNamesThemAndOthersAreRefused() {
        PlatformData data = PlatformData.shared(tmp.resolve("mnt"), "/recap-data/");
        assertThat(data.platformPath(tmp.resolve("mnt/corpora/c"))).isEqualTo("/recap-data/corpora/c");
        assertThat(data.platformPath(tmp.resolve("mnt"))).isEqualTo("/recap-data");
        assertThatThrownBy(() -> data.platformPath(tmp.resolve("elsewhere/corpora/c")))
                .hasMessageContaining("is not under the platform's data directory");
    }

    @Test
    void whatARootLauncherWritesIsGivenToTheOwnerOfThePlatformsDirectory() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "only root may give files away");
        Path shared = Files.createDirectories(tmp.resolve("recap-data"));
        Path store = Files.createDirectories(shared.resolve("store"));
        UserPrincipalLookupService users = tmp.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal services = users.lookupPrincipalByName("10001");
        GroupPrincipal group = users.lookupPrincipalByGroupName("10001");
        for (Path dir : new Path[] {shared, store}) {
            Files.getFileAttributeView(dir, PosixFileAttributeView.class).setOwner(services);
            Files.getFileAttributeView(dir, PosixFileAttributeView.class).setGroup(group);
        }
        Path base = Files.createDirectories(store.resolve("models/captioner/base/v1"));
        Path weights = Files.writeString(base.resolve("weights.bin"), "w");

        PlatformData.shared(shared, "/recap-data").handOver(base);

        for (Path path : new Path[] {store.resolve("models"), store.resolve("models/captioner"), base, weights}) {
            assertThat(Files.getOwner(path)).as(path.toString()).isEqualTo(services);
            assertThat(Files.readAttributes(path, java.nio.file.attribute.PosixFileAttributes.class).group())
                    .as(path.toString()).isEqualTo(group);
        }
    }

    @Test
    void theLocalModeLeavesOwnersAsTheyAre() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "only root could give files away");
        Path shared = Files.createDirectories(tmp.resolve("recap-data"));
        Path corpus = Files.createDirectories(shared.resolve("corpora/c"));
        UserPrincipal launcher = Files.getOwner(corpus);
        Files.setOwner(shared, tmp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("10001"));

        PlatformData.local(shared).handOver(corpus);

        assertThat(Files.getOwner(corpus)).isEqualTo(launcher);
        assertThat(Files.getOwner(shared.resolve("corpora"))).isEqualTo(launcher);
    }
}
