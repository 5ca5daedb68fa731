/**
 * Test support shared beyond keygate-server's own tests: a real server on a free port
 * ({@link dev.keygate.server.testing.TestServer}), a key store that can fail
 * ({@link dev.keygate.server.testing.FlakyKeyStore}) and log capture
 * ({@link dev.keygate.server.testing.LogCapture}). Published as keygate-server's test-jar.
 */
package dev.keygate.server.testing;
