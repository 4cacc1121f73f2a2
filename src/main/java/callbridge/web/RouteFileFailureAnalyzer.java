package callbridge.web;

import callbridge.ingest.InvalidWebhookCheckException;
import callbridge.outbound.OutboundSettingsException;
import callbridge.providers.ProviderDeclarationCheck.InvalidDeclarationException;
import callbridge.providers.ProviderRouteFiles;
import callbridge.providers.RouteFileUriCheck.UnsafeRouteFileException;
import callbridge.store.H2UrlSettings;
import java.nio.file.NoSuchFileException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * A provider route file that cannot be loaded stops the start with a short report naming the file,
 * line and column (Camel's YAML DSL knows them), instead of a wall of stack trace; so does one that
 * {@link callbridge.providers.RouteFileUriCheck} refuses (an endpoint URI built from the message), a credential check
 * declared so that it cannot work (naming the bean), a store URL the bridge cannot work with, and an outbound
 * dial that cannot work ({@link OutboundSettingsException}).
 */
public class RouteFileFailureAnalyzer implements FailureAnalyzer {
    private static final Pattern LOCATION = Pattern.compile("in (file:[^,]+), line (\\d+), column (\\d+)");

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof H2UrlSettings.UnusableStoreUrlException unusable) {
                return new FailureAnalysis(unusable.getMessage(), "Change the store URL as the line above says.", cause);
            }
            if (cause instanceof ProviderRouteFiles.UnknownProvidersException unknown) {
                return new FailureAnalysis(unknown.getMessage(),
                        "List only providers the bridge has in BRIDGE_PROVIDERS (a file <name>.camel.yaml, bundled or in "
                                + "BRIDGE_ROUTES_DIR), or leave it unset to serve all.", cause);
            }
            if (cause instanceof InvalidWebhookCheckException check) {
                return new FailureAnalysis(check.getMessage(),
                        "Fix that bean's declaration in its route file (docs/route-files.md, 'Credential checks', lists "
                                + "its settings), or move the file out of BRIDGE_ROUTES_DIR.",
                        cause);
            }
            if (cause instanceof OutboundSettingsException outbound) {
                return new FailureAnalysis(outbound.getMessage(),
                        "Set it as the line above says (docs/outbound.md), or leave OUTBOUND_PROVIDER unset.", cause);
            }
            if (cause instanceof InvalidDeclarationException declaration) {
                return new FailureAnalysis(declaration.getMessage(),
                        "Fix that line (docs/route-files.md lists a declaration's keys), "
                                + "or move the file out of BRIDGE_ROUTES_DIR.",
                        cause);
            }
            if (cause instanceof UnsafeRouteFileException unsafe) {
                return new FailureAnalysis(unsafe.getMessage(),
                        "Call the API through a fixed 'to:' and give the values as headers (CamelHttpPath, CamelHttpQuery; "
                                + "docs/route-files.md, 'Calling an API from a route'), "
                                + "or move the file out of BRIDGE_ROUTES_DIR.",
                        cause);
            }
            String message = cause.getMessage();
            if (message != null) {
                Matcher at = LOCATION.matcher(message);
                if (at.find()) {
                    String problem = message.substring(0, message.indexOf('\n') > 0 ? message.indexOf('\n') : message.length()).trim();
                    return new FailureAnalysis(
                            "Provider route file " + at.group(1).substring("file:".length()) + " is invalid at line "
                                    + at.group(2) + ", column " + at.group(3) + ": " + problem + "\n\n" + message.trim(),
                            "Fix that line (docs/route-files.md lists the building blocks and a worked example), "
                                    + "or move the file out of BRIDGE_ROUTES_DIR.",
                            cause);
                }
            }
            if (cause instanceof NoSuchFileException missing) {
                return new FailureAnalysis(
                        "The provider routes folder " + missing.getFile() + " does not exist.",
                        "Set BRIDGE_ROUTES_DIR to an existing folder of your provider YAML files, or leave it unset: the bundled providers are served without it.",
                        cause);
            }
        }
        return null;
    }
}
