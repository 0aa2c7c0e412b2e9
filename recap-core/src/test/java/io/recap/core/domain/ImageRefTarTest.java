package io.recap.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageRefTarTest {

    @Test
    void aTarMemberReferenceRoundTripsThroughItsUriWithAnAwkwardMemberName() {
        ImageRef ref = ImageRef.tarMember("file:///data/shard%20one.tar", "dir/a b?!/c.png", 1536, 2048);

        assertThat(ref.source()).isEqualTo(ImageRef.Source.TAR);
        assertThat(ref.uri()).isEqualTo("tar:file:///data/shard%20one.tar!/dir%2Fa+b%3F%21%2Fc.png?offset=1536&length=2048");
        ImageRef.TarMember parsed = ImageRef.ofUri(ref.uri()).tarMember();
        assertThat(parsed).isEqualTo(new ImageRef.TarMember("file:///data/shard%20one.tar", "dir/a b?!/c.png", 1536, 2048));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "tar:file:///s.tar!/a.png",                          // no offset and length
            "tar:file:///s.tar!/a.png?offset=1&length=0",        // empty member
            "tar:file:///s.tar!/a.png?offset=-1&length=5",       // negative offset
            "tar:file:///s.tar!/a.png?length=5&offset=1",        // parts out of order: one spelling only
            "tar:file:///s.tar!/a.png?offset=1&length=5&x=1",    // anything else in the query
            "tar:file:///s.tar?offset=1&length=5",               // no member
            "tar:s3://bucket/s.tar!/a.png?offset=1&length=5",    // only local tar files
            "tar:tar:file:///s.tar!/a.png?offset=0&length=9!/b.png?offset=1&length=5",
            "tar:file:///s.tar!/?offset=1&length=5",             // empty member name
            "tar:file:///s.tar!/a.png?offset=1&length=12345678901234567890"})  // more digits than a long holds
    void malformedTarReferencesAreRefusedWhenTheReferenceIsMade(String uri) {
        assertThatThrownBy(() -> ImageRef.ofUri(uri)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFileReferenceIsNotATarMember() {
        assertThatThrownBy(() -> ImageRef.ofUri("file:///a.png").tarMember()).isInstanceOf(IllegalStateException.class);
    }
}
