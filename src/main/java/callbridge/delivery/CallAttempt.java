package callbridge.delivery;

import callbridge.claims.Claim;
import java.time.Instant;

/** One call of a POST being made: its claim, which attempt this is for it, and when its window closes. */
public record CallAttempt(Claim claim, int attempt, Instant windowEnds) {
}
