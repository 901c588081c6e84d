import Foundation

/// Sets up an account's end-to-end keys once: public halves in the clear, private halves sealed twice (see
/// docs/crypto.md). Binary fields are standard base64.
public struct SetUpKeys: Codable, Sendable, Equatable {
    /// The P-256 ECDH public key, 65-byte uncompressed point.
    public var agreementKey: String
    /// The P-256 ECDSA public key, 65-byte uncompressed point.
    public var signingKey: String
    /// The private keys sealed under the password's wrap key.
    public var passwordWrappedKeys: String
    /// The private keys sealed under the recovery key.
    public var recoveryWrappedKeys: String

    /// Creates the request.
    public init(agreementKey: String, signingKey: String, passwordWrappedKeys: String, recoveryWrappedKeys: String) {
        self.agreementKey = agreementKey
        self.signingKey = signingKey
        self.passwordWrappedKeys = passwordWrappedKeys
        self.recoveryWrappedKeys = recoveryWrappedKeys
    }
}

/// One's own keys as the server keeps them: what a browser needs to unlock them with the password.
public struct OwnKeys: Codable, Sendable, Equatable {
    /// The P-256 ECDH public key.
    public var agreementKey: String
    /// The P-256 ECDSA public key.
    public var signingKey: String
    /// The private keys sealed under the password's wrap key.
    public var passwordWrappedKeys: String
    /// When the keys were made.
    public var createdAt: Date

    /// Creates the value.
    public init(agreementKey: String, signingKey: String, passwordWrappedKeys: String, createdAt: Date) {
        self.agreementKey = agreementKey
        self.signingKey = signingKey
        self.passwordWrappedKeys = passwordWrappedKeys
        self.createdAt = createdAt
    }
}

/// Someone's public keys, to wrap conversation keys for them and check their signatures.
public struct PublicKeys: Codable, Sendable, Equatable {
    /// The account.
    public var userId: UUID
    /// The name others see.
    public var displayName: String
    /// The P-256 ECDH public key.
    public var agreementKey: String
    /// The P-256 ECDSA public key.
    public var signingKey: String

    /// Creates the value.
    public init(userId: UUID, displayName: String, agreementKey: String, signingKey: String) {
        self.userId = userId
        self.displayName = displayName
        self.agreementKey = agreementKey
        self.signingKey = signingKey
    }
}

/// What a password reset needs to keep history readable: the keys sealed under the recovery key.
public struct RecoveryKeys: Codable, Sendable, Equatable {
    /// The account, which the sealed keys are bound to.
    public var userId: UUID
    /// The P-256 ECDH public key.
    public var agreementKey: String
    /// The P-256 ECDSA public key.
    public var signingKey: String
    /// The private keys sealed under the recovery key.
    public var recoveryWrappedKeys: String

    /// Creates the value.
    public init(userId: UUID, agreementKey: String, signingKey: String, recoveryWrappedKeys: String) {
        self.userId = userId
        self.agreementKey = agreementKey
        self.signingKey = signingKey
        self.recoveryWrappedKeys = recoveryWrappedKeys
    }
}

/// Asks for the recovery-sealed keys with the token from a reset mail.
public struct RequestRecoveryKeys: Codable, Sendable, Equatable {
    /// The token from the reset link.
    public var token: String

    /// Creates the request.
    public init(token: String) { self.token = token }
}

/// A conversation key sealed for one member, as the API carries it. Binary fields are standard base64.
public struct WrappedConversationKey: Codable, Sendable, Equatable {
    /// Who can open it.
    public var member: UUID
    /// Which epoch's key it is.
    public var epoch: UInt32
    /// The member who made and signed it.
    public var distributor: UUID
    /// The ephemeral P-256 point (65 bytes).
    public var ephemeralPublicKey: String
    /// `nonce ‖ ciphertext ‖ tag` of the 32-byte key.
    public var wrappedKey: String
    /// ECDSA P-256 SHA-256, `r ‖ s` (64 bytes), by the distributor.
    public var signature: String

    /// Creates the value.
    public init(
        member: UUID, epoch: UInt32, distributor: UUID, ephemeralPublicKey: String, wrappedKey: String,
        signature: String
    ) {
        self.member = member
        self.epoch = epoch
        self.distributor = distributor
        self.ephemeralPublicKey = ephemeralPublicKey
        self.wrappedKey = wrappedKey
        self.signature = signature
    }
}

/// A new recovery key: the keys sealed under it, signed with the account's signing key to prove the unlocked keys
/// made it (docs/crypto.md, "A new recovery key"). The old recovery key stops working.
public struct ReplaceRecoveryKey: Codable, Sendable, Equatable {
    /// The private keys sealed under the new recovery key, bound to the account.
    public var recoveryWrappedKeys: String
    /// ECDSA P-256 over `"lotse recovery key v1" ‖ account ID ‖ sealed bytes`, raw `r ‖ s`, base64.
    public var signature: String

    /// Creates the request.
    public init(recoveryWrappedKeys: String, signature: String) {
        self.recoveryWrappedKeys = recoveryWrappedKeys
        self.signature = signature
    }
}
