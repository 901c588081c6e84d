import Foundation

/// One browser tab in an engagement's call. Its ID is chosen by the tab and kept across reconnects and reloads, so a
/// dropped connection returns to the same place (docs/video.md).
public struct CallPeer: Codable, Sendable, Equatable {
    /// The tab's peer ID.
    public var id: UUID
    /// Whose tab it is.
    public var user: UUID
    /// In the call; false while in the waiting room. The coach is always in, clients are let in by the coach.
    public var admitted: Bool
    /// False while the tab's socket is gone; the server forgets it after a minute.
    public var connected: Bool

    /// Creates the value.
    public init(id: UUID, user: UUID, admitted: Bool, connected: Bool) {
        self.id = id
        self.user = user
        self.admitted = admitted
        self.connected = connected
    }
}

/// Who is in an engagement's call and who waits to be let in.
public struct CallRoom: Codable, Sendable, Equatable {
    /// The engagement whose call it is.
    public var engagement: UUID
    /// The tabs in the room, in the order they joined.
    public var peers: [CallPeer]

    /// Creates the value.
    public init(engagement: UUID, peers: [CallPeer]) {
        self.engagement = engagement
        self.peers = peers
    }
}

/// Signaling from one peer to another (offer, answer, ICE candidates), sealed and signed in the browser under the
/// engagement conversation's key. The server relays it as it is and fills in `author`; it reads none of it.
public struct CallSignal: Codable, Sendable, Equatable {
    /// Chosen by the sender; the receiver ignores a second signal with the same ID.
    public var id: UUID
    /// The engagement whose call it belongs to.
    public var engagement: UUID
    /// The sending peer.
    public var from: UUID
    /// The receiving peer.
    public var to: UUID
    /// The sending account, as the server authenticated it (ignored when a client sends it).
    public var author: UUID?
    /// The conversation key epoch it is sealed under.
    public var epoch: Int
    /// base64 of AES-GCM `nonce ‖ ciphertext ‖ tag` (docs/crypto.md, "Calls").
    public var ciphertext: String
    /// base64 of the author's ECDSA P-256 signature (`r ‖ s`).
    public var signature: String

    /// Creates the value.
    public init(
        id: UUID, engagement: UUID, from: UUID, to: UUID, author: UUID?, epoch: Int, ciphertext: String,
        signature: String
    ) {
        self.id = id
        self.engagement = engagement
        self.from = from
        self.to = to
        self.author = author
        self.epoch = epoch
        self.ciphertext = ciphertext
        self.signature = signature
    }
}
