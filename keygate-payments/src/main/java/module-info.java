/** The reference API's domain (SPEC section 5): payments, refunds, customers, balance and test mode. */
module dev.keygate.payments {
    requires transitive dev.keygate.core;

    exports dev.keygate.payments;
}
