package io.recap.orchestrator.ingest.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.recap.core.domain.Require;
import org.junit.jupiter.api.Test;

class ImageIdsTest {

    @Test
    void anIdIsTheRelativePathWithoutItsExtension() {
        assertThat(ImageIds.fromPath("cats/tabby.jpg")).isEqualTo("cats/tabby");
        assertThat(ImageIds.fromPath("./cats//tabby.v2.png")).isEqualTo("cats/tabby.v2");
        assertThat(ImageIds.fromPath("/data/corpus/a.png")).isEqualTo("data/corpus/a");
        assertThat(ImageIds.fromPath("dir.d/.png")).isEqualTo("dir.d/.png");
    }

    @Test
    void controlCharactersAndOverlongPathsAreMadeAcceptableToRequireLabelWithoutMergingTwoPaths() {
        String id = ImageIds.fromPath("line\nbreak\u0007.png");
        assertThat(id).isEqualTo("line_break_");
        Require.label(id, "imageId");

        String deep = "d/".repeat(600);
        String a = ImageIds.fromPath(deep + "a.png");
        String b = ImageIds.fromPath(deep + "b.png");
        assertThat(a).hasSize(ImageIds.MAX_LENGTH).isNotEqualTo(b);
        Require.label(a, "imageId");
    }
}
