package callbridge.delivery;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;

/**
 * A Cekura setting the bridge cannot work with ({@link CekuraSettingsException}) stops the start with its one line,
 * naming the variable. Ordered first: the failure comes wrapped in Spring Boot's binding failure, whose own analysis
 * would bury the line under the property record's name.
 */
public class CekuraSettingsFailureAnalyzer implements FailureAnalyzer, Ordered {

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof CekuraSettingsException settings) {
                return new FailureAnalysis(settings.getMessage(),
                        "Set it as the line above says (docs/settings.md), or leave it unset for its default.", cause);
            }
        }
        return null;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
