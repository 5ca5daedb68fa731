/** The API key format of SPEC section 2: one implementation for the server, the CLI and the SDK. */
module dev.keygate.keyformat {
    exports dev.keygate.keyformat;
}
