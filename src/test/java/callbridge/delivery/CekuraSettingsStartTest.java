package callbridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import callbridge.CallBridgeApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** An unknown {@code CEKURA_MESSAGE_TIMES} stops the start with one line naming the variable. */
@ExtendWith(OutputCaptureExtension.class)
class CekuraSettingsStartTest {

    @Test
    void anUnknownMessageTimeUnitStopsTheStartWithOneLine(CapturedOutput output) {
        assertThatThrownBy(() -> new SpringApplicationBuilder(CallBridgeApplication.class)
                .run("--server.port=0", "--spring.datasource.url=jdbc:h2:mem:cekura-settings", "--cekura.message-times=seconds")
                .close());
        String report = output.getOut().substring(output.getOut().indexOf("APPLICATION FAILED TO START"));
        assertThat(report).contains("""
                Description:

                CEKURA_MESSAGE_TIMES is 'seconds': use epoch-ms (the default) or seconds-from-start

                Action:
                """).doesNotContain("Failed to bind");
    }
}
