package callbridge.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which remote addresses count as the loopback: IP literals only, never a name. */
class AdminGuardTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.10.20.30", "::1", "0:0:0:0:0:0:0:1", "[::1]", "::ffff:127.0.0.1",
            "0:0:0:0:0:ffff:127.0.0.1", "0:0:0:0:0:0:0:1%lo"})
    void loopbackAddresses(String address) {
        assertThat(AdminGuard.isLoopback(address)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"203.0.113.9", "10.0.0.1", "192.168.1.127", "128.0.0.1", "::2", "::ffff:10.0.0.1", "localhost",
            "127.0.0.1.example.com", "", "fe80::1", "1127.0.0.1"})
    void otherAddresses(String address) {
        assertThat(AdminGuard.isLoopback(address)).isFalse();
    }

    @org.junit.jupiter.api.Test
    void noAddressIsNotLoopback() {
        assertThat(AdminGuard.isLoopback(null)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "LocalHost:8080", "127.0.0.1", "127.0.0.1:8080", "127.9.9.9:1", "[::1]", "[::1]:8080",
            "[0:0:0:0:0:0:0:1]:80"})
    void loopbackHostNames(String host) {
        assertThat(AdminGuard.isLoopbackHost(host)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil.example", "evil.example:8080", "localhost.evil.example", "127.0.0.1.evil.example", "10.0.0.1",
            "[::2]:8080", "localhost:99999", "localhost:", "user@localhost", "", "::1", "127.0.0.1:8080:1", "localhost."})
    void otherHostNames(String host) {
        assertThat(AdminGuard.isLoopbackHost(host)).isFalse();
    }

    @org.junit.jupiter.api.Test
    void noHostIsNotLoopback() {
        assertThat(AdminGuard.isLoopbackHost(null)).isFalse();
    }

    @org.junit.jupiter.api.Test
    void crossSiteIsAnyOtherOriginOrWhatTheBrowserSaysIs() {
        assertThat(AdminGuard.isCrossSite(null, null, "http", "127.0.0.1:8080")).isFalse();
        assertThat(AdminGuard.isCrossSite("http://127.0.0.1:8080", "same-origin", "http", "127.0.0.1:8080")).isFalse();
        assertThat(AdminGuard.isCrossSite("http://LOCALHOST:80", null, "http", "localhost")).isFalse();
        assertThat(AdminGuard.isCrossSite(null, "none", "http", "localhost:8080")).isFalse();
        assertThat(AdminGuard.isCrossSite("https://evil.example", null, "http", "127.0.0.1:8080")).isTrue();
        assertThat(AdminGuard.isCrossSite("http://127.0.0.1:8081", null, "http", "127.0.0.1:8080")).isTrue();
        assertThat(AdminGuard.isCrossSite("http://localhost:8080", null, "http", "127.0.0.1:8080")).isTrue();
        assertThat(AdminGuard.isCrossSite("https://127.0.0.1:8080", null, "http", "127.0.0.1:8080")).isTrue();
        assertThat(AdminGuard.isCrossSite("null", null, "http", "127.0.0.1:8080")).isTrue();
        assertThat(AdminGuard.isCrossSite("http://127.0.0.1:8080/path", null, "http", "127.0.0.1:8080")).isTrue();
        assertThat(AdminGuard.isCrossSite(null, "cross-site", "http", "127.0.0.1:8080")).isTrue();
        assertThat(AdminGuard.isCrossSite(null, "Same-Site", "http", "127.0.0.1:8080")).isTrue();
    }
}
