package callbridge.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** One outside value, one path segment: nothing in it can end the segment, start a query or climb the path. */
class PathSegmentTest {

    @Test
    void everythingButUnreservedIsPercentEncoded() {
        assertThat(PathSegment.encode("c1?proxyHost=127.0.0.1&proxyPort=9&x=")).isEqualTo("c1%3FproxyHost%3D127.0.0.1%26proxyPort%3D9%26x%3D");
        assertThat(PathSegment.encode("a/b#c d%e+f;g")).isEqualTo("a%2Fb%23c%20d%25e%2Bf%3Bg");
        assertThat(PathSegment.encode("Az09-._~")).isEqualTo("Az09-._~");
        assertThat(PathSegment.encode("été")).isEqualTo("%C3%A9t%C3%A9");
        assertThat(PathSegment.encode("a%2Fb")).isEqualTo("a%252Fb");           // already-encoded text is data too
        assertThat(PathSegment.encode("\r\n")).isEqualTo("%0D%0A");
    }

    @Test
    void dotSegmentsCannotClimbThePath() {
        assertThat(PathSegment.encode(".")).isEqualTo("%2E");
        assertThat(PathSegment.encode("..")).isEqualTo("%2E%2E");
        assertThat(PathSegment.encode("a..b")).isEqualTo("a..b");
    }

    @Test
    void aSegmentUnderAPathDecodesToExactlyTheValue() {
        String id = "x/y?z=1#f %25 é";
        String path = new PathSegment().under("calls", id);
        URI uri = URI.create("http://api.example/" + path);
        assertThat(uri.getRawPath()).isEqualTo("/calls/" + PathSegment.encode(id));
        assertThat(uri.getRawQuery()).isNull();
        assertThat(uri.getRawFragment()).isNull();
        assertThat(uri.getPath()).isEqualTo("/calls/" + id);
    }

    @Test
    void noValueIsRefused() {
        assertThat(PathSegment.encode(null)).isNull();
        assertThatThrownBy(() -> new PathSegment().under("calls", "")).isInstanceOf(IllegalArgumentException.class);
    }
}
