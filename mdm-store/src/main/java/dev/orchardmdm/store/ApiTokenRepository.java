package dev.orchardmdm.store;

import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jdbi.v3.core.statement.StatementContext;

/** Admin API tokens: random, shown once, stored as a SHA-256 hash, with permissions, expiry and revocation. */
public final class ApiTokenRepository extends Repository {
    /** Prefix of every token, so that leaked tokens are easy to recognise. */
    public static final String TOKEN_PREFIX = "orchard_";
    private static final Pattern PERMISSION = Pattern.compile("[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*");
    private static final Duration LAST_USED_GRANULARITY = Duration.ofMinutes(1);
    private final SecureRandom random = new SecureRandom();

    public ApiTokenRepository(Database db, Secrets secrets, Clock clock) {
        super(db, secrets, clock);
    }

    /** A new token and its secret value, returned only here. */
    public record Created(ApiToken token, String secret) {
    }

    /**
     * Creates a token.
     *
     * @param expiresAt null: never expires
     * @throws IllegalArgumentException if a permission is not of the form {@code app.codename}
     */
    public Created create(String name, Set<String> permissions, Instant expiresAt) throws StoreException {
        Objects.requireNonNull(name, "name");
        for (String p : permissions) {
            if (!PERMISSION.matcher(p).matches()) {
                throw new IllegalArgumentException("malformed permission: " + p);
            }
        }
        String secret = TOKEN_PREFIX + Rows.randomToken(random, 32);
        Instant now = now();
        long id = tx(h -> insertReturningId(h, "INSERT INTO api_tokens (name, token_hash, permissions, expires_at, created_at)"
                + " VALUES (:n, :h, :p, :e, :now)", q -> q.bind("n", name).bind("h", Rows.sha256Hex(secret))
                .bind("p", Json.write(new TreeSet<>(permissions))).bind("e", expiresAt).bind("now", now)));
        return new Created(findById(id).orElseThrow(), secret);
    }

    /**
     * The live (not revoked, not expired) token with this secret value; records its use.
     */
    public Optional<ApiToken> authenticate(String presented) throws StoreException {
        if (presented == null || !presented.startsWith(TOKEN_PREFIX) || presented.length() > 200) {
            return Optional.empty();
        }
        Instant now = now();
        Optional<ApiToken> token = jdbi.withHandle(h -> h.createQuery("SELECT * FROM api_tokens WHERE token_hash = :h")
                .bind("h", Rows.sha256Hex(presented)).map(ApiTokenRepository::map).findOne())
                .filter(t -> t.revokedAt() == null && (t.expiresAt() == null || now.isBefore(t.expiresAt())));
        if (token.isPresent()) {
            tx(h -> h.createUpdate("UPDATE api_tokens SET last_used_at = :now WHERE id = :id AND"
                            + " (last_used_at IS NULL OR last_used_at < :before)")
                    .bind("now", now).bind("id", token.get().id()).bind("before", now.minus(LAST_USED_GRANULARITY)).execute());
        }
        return token;
    }

    /** Revokes a token (it stops authenticating at once). */
    public void revoke(long id) throws StoreException {
        tx(h -> {
            if (h.createUpdate("UPDATE api_tokens SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL")
                    .bind("now", now()).bind("id", id).execute() == 0) {
                throw new NotFoundException("live api token " + id);
            }
            return null;
        });
    }

    /** Looks up by id; empty if there is none. */
    public Optional<ApiToken> findById(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM api_tokens WHERE id = :id").bind("id", id)
                .map(ApiTokenRepository::map).findOne());
    }

    /** All tokens, by id. */
    public List<ApiToken> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM api_tokens ORDER BY id").map(ApiTokenRepository::map).list());
    }

    private static ApiToken map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new ApiToken(rs.getLong("id"), rs.getString("name"), new HashSet<>(Json.stringList(rs.getString("permissions"))),
                Rows.instant(rs, "expires_at"), Rows.instant(rs, "revoked_at"), Rows.instant(rs, "last_used_at"),
                Rows.instant(rs, "created_at"));
    }
}
