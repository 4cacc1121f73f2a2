package callbridge.ingest;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.convert.DurationStyle;

/**
 * An HMAC signature over the raw body, declared per provider without Java. What is signed is a small template of
 * the raw body and the timestamp as sent ({@code "{body}"}, {@code "{timestamp}.{body}"}, {@code "{body}{timestamp}"});
 * the signature is the whole header or one part of it ({@code d=} in {@code v=<ms>,d=<hex>}), hex or base64, maybe
 * after a prefix ({@code sha256=}); the timestamp is in its own header or a part of the signature header
 * ({@code t=}, {@code v=}) and must be within {@code tolerance} of now, either way. Compared in constant time.
 *
 * <pre>
 * - beans:
 *     - name: elevenlabsSignature
 *       type: callbridge.ingest.HmacSignatureCheck
 *       properties:
 *         header: ElevenLabs-Signature
 *         signaturePart: v0                  # the header is "t=1739537297,v0=&lt;hex&gt;"
 *         timestampPart: t
 *         signedPayload: "{timestamp}.{body}"
 *         tolerance: 30m
 *         secret: "{{elevenlabs.webhook-secret:}}"
 *         secretVariable: ELEVENLABS_WEBHOOK_SECRET
 * </pre>
 *
 * Settings: {@code header} (required), {@code secret}, {@code secretVariable}, {@code algorithm} ({@code HmacSHA256}),
 * {@code signedPayload} ({@code {body}}), {@code encoding} ({@code hex}, {@code base64}, {@code base64url}; default hex),
 * {@code prefix}, {@code signaturePart}, {@code timestampPart} or {@code timestampHeader}, {@code partSeparator}
 * ({@code ,}), {@code tolerance} ({@code 5m}), {@code timestampUnit} ({@code seconds}, {@code milliseconds}, or
 * {@code auto} for a sender that does not document it: 12 digits or more are milliseconds, fewer are seconds).
 * A signature part given more than once (key rotation) passes when any of them matches.
 */
public class HmacSignatureCheck extends WebhookCheck {
    private static final Logger LOG = LoggerFactory.getLogger(HmacSignatureCheck.class);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    /** Digits only; 18 of them cannot overflow a long, and milliseconds of the year 9999 are 14. */
    private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{1,18}");

    private String algorithm = "HmacSHA256";
    private String signedPayload = "{body}";
    private String encoding = "hex";
    private String prefix = "";
    private String signaturePart;
    private String timestampPart;
    private String timestampHeader;
    private String partSeparator = ",";
    private String tolerance = "5m";
    private String timestampUnit = "seconds";
    private Clock clock = Clock.systemUTC();

    // compiled from the settings by validate()
    private List<Piece> pieces;
    private boolean signsTimestamp;
    private Function<String, byte[]> decoder;
    private Duration maxSkew;
    private boolean milliseconds;
    private boolean autoUnit;
    /** {@code auto}: from 10^11 on a timestamp is milliseconds (1973 on); below, seconds (up to the year 5138). */
    private static final long FIRST_MILLISECONDS = 100_000_000_000L;
    private Mac prototype;

    /** One piece of the signed payload: literal text, the raw body, or the timestamp as sent. */
    private record Piece(Kind kind, byte[] literal) {
        enum Kind { BODY, TIMESTAMP, TEXT }

        static final Piece BODY = new Piece(Kind.BODY, null);
        static final Piece TIMESTAMP = new Piece(Kind.TIMESTAMP, null);
    }

    @Override
    protected void validate() {
        pieces = compile(signedPayload);
        signsTimestamp = pieces.stream().anyMatch(p -> p.kind() == Piece.Kind.TIMESTAMP);
        decoder = switch (encoding == null ? "" : encoding.trim().toLowerCase(Locale.ROOT)) {
            case "hex" -> HexFormat.of()::parseHex;
            case "base64" -> Base64.getDecoder()::decode;
            case "base64url" -> Base64.getUrlDecoder()::decode;
            default -> throw invalid("unknown encoding '" + encoding + "': use hex, base64 or base64url");
        };
        boolean hasTimestamp = timestampPart != null || timestampHeader != null;
        if (timestampPart != null && timestampHeader != null) {
            throw invalid("set timestampPart or timestampHeader, not both");
        }
        if (timestampPart != null && signaturePart == null) {
            throw invalid("timestampPart '" + timestampPart + "' needs signaturePart: the part of " + getHeader() + " that holds the signature");
        }
        if (signsTimestamp && !hasTimestamp) {
            throw invalid("signedPayload '" + signedPayload + "' signs {timestamp}: say where it is with timestampPart or timestampHeader");
        }
        if (hasTimestamp && !signsTimestamp) {
            throw invalid("the timestamp is checked but not signed (anyone could replay with a new one): put {timestamp} in signedPayload");
        }
        if (partSeparator == null || partSeparator.isEmpty()) {
            throw invalid("partSeparator must not be empty");
        }
        try {
            maxSkew = DurationStyle.detectAndParse(tolerance.trim());
        } catch (RuntimeException unreadable) {
            throw invalid("tolerance '" + tolerance + "' is not a duration (e.g. 5m, 300s, PT5M)");
        }
        if (maxSkew.isNegative() || maxSkew.isZero()) {
            throw invalid("tolerance must be positive");
        }
        milliseconds = switch (timestampUnit == null ? "" : timestampUnit.trim().toLowerCase(Locale.ROOT)) {
            case "seconds" -> false;
            case "milliseconds" -> true;
            case "auto" -> {
                autoUnit = true;
                yield false;
            }
            default -> throw invalid("unknown timestampUnit '" + timestampUnit + "': use seconds, milliseconds or auto");
        };
        try {
            Mac mac = Mac.getInstance(algorithm);
            if (!isOpen()) {
                mac.init(new SecretKeySpec(secret().getBytes(StandardCharsets.UTF_8), algorithm));
                prototype = mac;
            }
        } catch (NoSuchAlgorithmException unknown) {
            throw invalid("unknown algorithm '" + algorithm + "' (e.g. HmacSHA256, HmacSHA512)");
        } catch (GeneralSecurityException | IllegalArgumentException unusable) {
            throw invalid("the secret is not a usable " + algorithm + " key");
        }
    }

    private List<Piece> compile(String template) {
        if (template == null || template.isEmpty()) {
            throw invalid("signedPayload is empty: e.g. {body}, {timestamp}.{body} or {body}{timestamp}");
        }
        List<Piece> compiled = new ArrayList<>();
        Matcher placeholder = PLACEHOLDER.matcher(template);
        int at = 0;
        int bodies = 0;
        int timestamps = 0;
        while (placeholder.find()) {
            literal(template.substring(at, placeholder.start()), compiled);
            switch (placeholder.group(1)) {
                case "body" -> {
                    compiled.add(Piece.BODY);
                    bodies++;
                }
                case "timestamp" -> {
                    compiled.add(Piece.TIMESTAMP);
                    timestamps++;
                }
                default -> throw invalid("signedPayload '" + template + "' has an unknown placeholder {" + placeholder.group(1)
                        + "}: use {body} and {timestamp}");
            }
            at = placeholder.end();
        }
        literal(template.substring(at), compiled);
        if (bodies != 1 || timestamps > 1) {
            throw invalid("signedPayload '" + template + "' must hold {body} once and {timestamp} at most once");
        }
        return List.copyOf(compiled);
    }

    private void literal(String text, List<Piece> compiled) {
        if (text.indexOf('{') >= 0 || text.indexOf('}') >= 0) {
            throw invalid("signedPayload '" + signedPayload + "' has an unmatched brace: use {body} and {timestamp}");
        }
        if (!text.isEmpty()) {
            compiled.add(new Piece(Piece.Kind.TEXT, text.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Override
    protected void verify(Exchange exchange, String presented, byte[] raw) {
        if (presented == null || presented.isBlank()) {
            throw rejected("no " + getHeader() + " header");
        }
        List<String> signatures = new ArrayList<>(1);
        String timestamp = null;
        if (signaturePart == null) {
            signatures.add(presented.trim());
        } else {
            for (String part : presented.split(Pattern.quote(partSeparator))) {
                int eq = part.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                String key = part.substring(0, eq).trim();
                String value = part.substring(eq + 1).trim();
                if (key.equals(signaturePart)) {
                    signatures.add(value);
                } else if (key.equals(timestampPart)) {
                    if (timestamp != null) {
                        throw rejected("two timestamps in " + getHeader());
                    }
                    timestamp = value;
                }
            }
            if (signatures.isEmpty()) {
                throw rejected("no " + signaturePart + "= part in " + getHeader());
            }
        }
        if (timestampHeader != null) {
            timestamp = RequestCredentials.header(exchange, timestampHeader);
        }
        if (signsTimestamp) {
            checkFresh(timestamp);
        }
        byte[] expected = mac(raw, timestamp);
        boolean matched = false;
        for (String signature : signatures) {
            byte[] decoded = decode(signature);
            matched |= decoded != null && MessageDigest.isEqual(expected, decoded);   // constant time, every one compared
        }
        if (!matched) {
            throw rejected("signature does not match");
        }
    }

    private void checkFresh(String timestamp) {
        if (timestamp == null || !TIMESTAMP.matcher(timestamp).matches()) {
            throw rejected(timestamp == null ? "no timestamp" : "timestamp is not a Unix time in digits");
        }
        long value = Long.parseLong(timestamp);
        boolean milliseconds = this.milliseconds || autoUnit && value >= FIRST_MILLISECONDS;
        if (!milliseconds && value > Instant.MAX.getEpochSecond()) {
            throw rejected("timestamp out of range");
        }
        Instant at = milliseconds ? Instant.ofEpochMilli(value) : Instant.ofEpochSecond(value);
        if (Duration.between(at, clock.instant()).abs().compareTo(maxSkew) > 0) {
            throw rejected("timestamp outside the tolerance");
        }
    }

    private byte[] mac(byte[] raw, String timestamp) {
        Mac mac = newMac();
        for (Piece piece : pieces) {
            switch (piece.kind()) {
                case BODY -> mac.update(raw);
                case TIMESTAMP -> mac.update(timestamp.getBytes(StandardCharsets.US_ASCII));   // the digits exactly as sent
                case TEXT -> mac.update(piece.literal());
            }
        }
        return mac.doFinal();
    }

    private Mac newMac() {
        try {
            return (Mac) prototype.clone();
        } catch (CloneNotSupportedException notCloneable) {
            try {
                Mac mac = Mac.getInstance(algorithm);
                mac.init(new SecretKeySpec(secret().getBytes(StandardCharsets.UTF_8), algorithm));
                return mac;
            } catch (GeneralSecurityException impossible) {
                throw new IllegalStateException(impossible);   // the same worked in validate()
            }
        }
    }

    private byte[] decode(String signature) {
        if (!signature.startsWith(prefix)) {
            return null;
        }
        try {
            return decoder.apply(signature.substring(prefix.length()));
        } catch (IllegalArgumentException notEncoded) {
            return null;
        }
    }

    /** Why, at DEBUG and without any value the request carried; the answer says only 401. */
    private UnauthorizedException rejected(String why) {
        LOG.debug("Webhook check '{}' refused a request: {}", name(), why);
        String reason = why.startsWith("timestamp out") ? "stale-signature"
                : why.equals("signature does not match") ? "bad-signature" : "unauthorized";
        return new UnauthorizedException(reason);
    }

    @Override
    public String describe() {
        return algorithm + " signature in " + getHeader();
    }

    public void setAlgorithm(String algorithm) {
        this.algorithm = algorithm;
    }

    /** What is signed: {@code {body}} (the raw bytes) and {@code {timestamp}} (as sent) with literal text between. */
    public void setSignedPayload(String signedPayload) {
        this.signedPayload = signedPayload;
    }

    public void setEncoding(String encoding) {
        this.encoding = encoding;
    }

    /** Text before the encoded signature, e.g. {@code sha256=}; default none. */
    public void setPrefix(String prefix) {
        this.prefix = prefix == null ? "" : prefix;
    }

    /** The header is {@code key=value} parts; the signature is the value of this key (e.g. {@code d}, {@code v0}). */
    public void setSignaturePart(String signaturePart) {
        this.signaturePart = blankToNull(signaturePart);
    }

    /** The timestamp is the value of this part of the signature header (e.g. {@code t}, {@code v}). */
    public void setTimestampPart(String timestampPart) {
        this.timestampPart = blankToNull(timestampPart);
    }

    /** The timestamp is in this header of its own (e.g. {@code x-timestamp}). */
    public void setTimestampHeader(String timestampHeader) {
        this.timestampHeader = blankToNull(timestampHeader);
    }

    public void setPartSeparator(String partSeparator) {
        this.partSeparator = partSeparator;
    }

    /** How far the timestamp may be from now, either way (e.g. {@code 5m}). */
    public void setTolerance(String tolerance) {
        this.tolerance = tolerance == null ? "" : tolerance;
    }

    /** {@code seconds} (default), {@code milliseconds}, or {@code auto} (12 digits or more: milliseconds). */
    public void setTimestampUnit(String timestampUnit) {
        this.timestampUnit = timestampUnit;
    }

    /** For tests: the clock the tolerance is measured on. */
    public void setClock(Clock clock) {
        this.clock = clock;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }
}
