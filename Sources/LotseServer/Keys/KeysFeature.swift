/// Keys: every account's end-to-end keys, their history, and whom coaches looked up (docs/crypto.md). No routes of
/// its own: accounts, messaging and the directory use them.
struct KeysFeature: Feature {
    var migrations: [ShippedMigration] {
        [
            ShippedMigration(13, CreateLookupGrants()),  // #16 whom a coach looked up by address, and so may write to
            // #16 every key version of every account, to verify what it signed
            ShippedMigration(14, CreateKeyHistory()),
        ]
    }

    var texts: Texts { .keys }
}
