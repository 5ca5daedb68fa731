package dev.keygate.store.jdbc;

import dev.keygate.core.StoreUnavailableException;
import dev.keygate.core.accounts.Account;
import dev.keygate.core.feed.Change;
import dev.keygate.core.keys.Credential;
import dev.keygate.core.keys.KeyDigest;
import dev.keygate.core.keys.KeyRecord;
import dev.keygate.core.keys.KeyStore;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * A {@link KeyStore} on any SQL database through JDBI. Its statements are plain SQL that SQLite
 * and PostgreSQL both run; what differs between them (connection, schema, how a unique violation
 * is reported) is given by the database module, through {@link JdbiStores}.
 */
final class JdbiKeyStore implements KeyStore {

    private static final String KEY_COLUMNS = "k.id, k.account_id, k.type, k.environment, k.name, k.last4, "
            + "k.public_value, k.created_at, k.expires_at, k.last_used_at, k.revoked_at, k.exposed_at";

    private final Jdbi jdbi;
    private final Translator translator;
    private final AutoCloseable pool;

    private final Optional<String> clockQuery;

    JdbiKeyStore(Jdbi jdbi, Translator translator, AutoCloseable pool, Optional<String> clockQuery) {
        this.jdbi = jdbi;
        this.translator = translator;
        this.pool = pool;
        this.clockQuery = clockQuery;
    }

    @Override
    public Optional<Instant> sharedTime() {
        return clockQuery.map(query -> translator.call(() -> jdbi.withHandle(h -> h.createQuery(query)
                .mapTo(Long.class)
                .one()))).map(Instant::ofEpochMilli);
    }

    @Override
    public void insertAccount(Account account, Optional<String> passwordHash) {
        translator.run(() -> jdbi.useHandle(h -> h.createUpdate("INSERT INTO accounts "
                                + "(id, name, email, password_hash, rate_limit, created_at) "
                                + "VALUES (:id, :name, :email, :hash, :limit, :created)")
                        .bind("id", account.id())
                        .bind("name", account.name())
                        .bind("email", account.email())
                        .bind("hash", passwordHash.orElse(null))
                        .bind("limit", account.rateLimit().isPresent() ? account.rateLimit().getAsInt() : null)
                        .bind("created", account.createdAt().toEpochMilli())
                        .execute()),
                "an account with this email already exists");
    }

    @Override
    public Optional<Account> findAccount(String accountId) {
        return findAccountWhere("id", accountId);
    }

    @Override
    public Optional<Account> findAccountByEmail(String email) {
        return findAccountWhere("email", email);
    }

    private Optional<Account> findAccountWhere(String column, String value) {
        return translator.call(() -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT id, name, email, rate_limit, created_at FROM accounts WHERE " + column + " = :v")
                .bind("v", value)
                .map((rs, ctx) -> new Account(
                        rs.getString("id"),
                        rs.getString("name"),
                        rs.getString("email"),
                        optionalInt(rs, "rate_limit"),
                        Instant.ofEpochMilli(rs.getLong("created_at"))))
                .findOne()));
    }

    @Override
    public Optional<String> findPasswordHash(String accountId) {
        return translator.call(() -> jdbi.withHandle(h -> h.createQuery("SELECT password_hash FROM accounts WHERE id = :id")
                .bind("id", accountId)
                .mapTo(String.class)
                .findOne()));
    }

    @Override
    public boolean updatePasswordHash(String accountId, String passwordHash) {
        return translator.call(() -> jdbi.withHandle(h -> h.createUpdate(
                "UPDATE accounts SET password_hash = :hash WHERE id = :id")
                .bind("hash", passwordHash).bind("id", accountId).execute())) > 0;
    }

    @Override
    public boolean updateRateLimit(String accountId, int perMinute) {
        return translator.call(() -> jdbi.inTransaction(h -> {
            int updated = h.createUpdate("UPDATE accounts SET rate_limit = :limit WHERE id = :id")
                    .bind("limit", perMinute)
                    .bind("id", accountId)
                    .execute();
            if (updated == 0) {
                return false;
            }
            appendChange(h, accountId, null);
            return true;
        }));
    }

    @Override
    public void insertKey(KeyRecord key, KeyDigest digest) {
        translator.run(() -> jdbi.useHandle(h -> insertKey(h, key, digest)), "a key with this id or digest already exists");
    }

    /** Inserts a key within {@code h}'s transaction (rotation stores one beside other writes). */
    static void insertKey(Handle h, KeyRecord key, KeyDigest digest) {
        h.createUpdate("INSERT INTO api_keys (id, digest, account_id, type, environment, name, last4, public_value, "
                        + "created_at, expires_at, last_used_at, revoked_at, exposed_at) VALUES (:id, :digest, "
                        + ":account, :type, :env, :name, :last4, :public, :created, :expires, :used, :revoked, :exposed)")
                .bind("id", key.id())
                .bind("digest", digest.toBytes())
                .bind("account", key.accountId())
                .bind("type", key.type().label())
                .bind("env", key.environment().label())
                .bind("name", key.name())
                .bind("last4", key.last4())
                .bind("public", key.publicValue().orElse(null))
                .bind("created", key.createdAt().toEpochMilli())
                .bind("expires", millis(key.expiresAt()))
                .bind("used", millis(key.lastUsedAt()))
                .bind("revoked", millis(key.revokedAt()))
                .bind("exposed", millis(key.exposedAt()))
                .execute();
    }

    /** Appends a change for {@code keyId} to the feed, within {@code h}'s transaction. */
    static void appendKeyChange(Handle h, String keyId) {
        Map<String, Object> row = h.createQuery("SELECT account_id, digest FROM api_keys WHERE id = :id")
                .bind("id", keyId)
                .mapToMap()
                .one();
        appendChange(h, (String) row.get("account_id"), (byte[]) row.get("digest"));
    }

    @Override
    public Optional<Credential> findCredential(KeyDigest digest) {
        return translator.call(() -> jdbi.withHandle(h -> h.createQuery("SELECT " + KEY_COLUMNS + ", a.rate_limit "
                        + "FROM api_keys k JOIN accounts a ON a.id = k.account_id WHERE k.digest = :digest")
                .bind("digest", digest.toBytes())
                .map((rs, ctx) -> new Credential(keyRecord(rs), optionalInt(rs, "rate_limit")))
                .findOne()));
    }

    @Override
    public Optional<KeyRecord> findKey(String keyId) {
        return translator.call(() -> jdbi.withHandle(h -> h.createQuery("SELECT " + KEY_COLUMNS + " FROM api_keys k WHERE k.id = :id")
                .bind("id", keyId)
                .map((rs, ctx) -> keyRecord(rs))
                .findOne()));
    }

    @Override
    public List<KeyRecord> listKeys(String accountId) {
        return translator.call(() -> jdbi.withHandle(h -> h.createQuery("SELECT " + KEY_COLUMNS
                        + " FROM api_keys k WHERE k.account_id = :account ORDER BY k.created_at DESC, k.id DESC")
                .bind("account", accountId)
                .map((rs, ctx) -> keyRecord(rs))
                .list()));
    }

    @Override
    public boolean revokeKey(String keyId, Instant at) {
        return translator.call(() -> jdbi.inTransaction(h -> {
            int updated = h.createUpdate("UPDATE api_keys SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL")
                    .bind("at", at.toEpochMilli())
                    .bind("id", keyId)
                    .execute();
            if (updated == 0) {
                return false;
            }
            appendKeyChange(h, keyId);
            return true;
        }));
    }

    @Override
    public void markExposed(String keyId, Instant at) {
        translator.run(() -> jdbi.useHandle(h -> h.createUpdate(
                                "UPDATE api_keys SET exposed_at = :at WHERE id = :id AND exposed_at IS NULL")
                        .bind("at", at.toEpochMilli())
                        .bind("id", keyId)
                        .execute()),
                null);
    }

    @Override
    public void recordLastUsed(Map<String, Instant> lastUsed) {
        if (lastUsed.isEmpty()) {
            return;
        }
        translator.run(() -> jdbi.useTransaction(h -> {
                    PreparedBatch batch = h.prepareBatch("UPDATE api_keys SET last_used_at = :at "
                            + "WHERE id = :id AND (last_used_at IS NULL OR last_used_at < :at)");
                    lastUsed.forEach((id, at) -> batch.bind("id", id).bind("at", at.toEpochMilli()).add());
                    batch.execute();
                }),
                null);
    }

    @Override
    public List<Change> changesSince(long sequence, int limit) {
        return translator.call(() -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT seq, account_id, digest FROM changes WHERE seq > :seq ORDER BY seq LIMIT :limit")
                .bind("seq", sequence)
                .bind("limit", limit)
                .map((rs, ctx) -> {
                    byte[] digest = rs.getBytes("digest");
                    return new Change(
                            rs.getLong("seq"),
                            rs.getString("account_id"),
                            digest == null ? Optional.empty() : Optional.of(KeyDigest.fromBytes(digest)));
                })
                .list()));
    }

    @Override
    public long latestChange() {
        return translator.call(() -> jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(MAX(seq), 0) FROM changes")
                .mapTo(Long.class)
                .one()));
    }

    @Override
    public void ping() {
        translator.call(() -> jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()));
    }

    @Override
    public void close() {
        try {
            pool.close();
        } catch (Exception e) {
            throw new StoreUnavailableException("could not close the database pool", e);
        }
    }

    private static void appendChange(Handle h, String accountId, byte[] digest) {
        h.createUpdate("INSERT INTO changes (account_id, digest) VALUES (:account, :digest)")
                .bind("account", accountId)
                .bind("digest", digest)
                .execute();
    }

    private static KeyRecord keyRecord(ResultSet rs) throws SQLException {
        return new KeyRecord(
                rs.getString("id"),
                rs.getString("account_id"),
                KeyType.fromLabel(rs.getString("type")),
                Environment.fromLabel(rs.getString("environment")),
                rs.getString("name"),
                rs.getString("last4"),
                Optional.ofNullable(rs.getString("public_value")),
                Instant.ofEpochMilli(rs.getLong("created_at")),
                instant(rs, "expires_at"),
                instant(rs, "last_used_at"),
                instant(rs, "revoked_at"),
                instant(rs, "exposed_at"));
    }

    private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
    }

    private static OptionalInt optionalInt(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(value);
    }

    private static Long millis(Optional<Instant> instant) {
        return instant.map(Instant::toEpochMilli).orElse(null);
    }
}
