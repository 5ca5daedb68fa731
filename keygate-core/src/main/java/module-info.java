/**
 * Keygate's core: the key verifier, rotation, the rate limit's algorithm, accounts and the change
 * feed, with the store, limiter and mail interfaces that adapters implement. No framework and no
 * I/O: time and randomness are injected.
 */
module dev.keygate.core {
    requires transitive dev.keygate.keyformat;
    requires com.github.benmanes.caffeine;

    exports dev.keygate.core;
    exports dev.keygate.core.accounts;
    exports dev.keygate.core.auth;
    exports dev.keygate.core.dashboard;
    exports dev.keygate.core.feed;
    exports dev.keygate.core.keys;
    exports dev.keygate.core.limit;
    exports dev.keygate.core.mail;
    exports dev.keygate.core.policy;
    exports dev.keygate.core.rotation;
}
