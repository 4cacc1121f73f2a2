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
}
