package dev.keygate.core.keys;

import dev.keygate.keyformat.ApiKey;

/**
 * A key just created: its record and the key itself, to be shown once to its owner and then
 * forgotten. {@link #toString()} shows the key masked.
 */
public record IssuedKey(KeyRecord record, ApiKey key) {}
