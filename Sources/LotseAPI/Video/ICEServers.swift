import Foundation

/// A STUN or TURN server for a browser's `RTCPeerConnection` (its `iceServers` entry, field for field).
public struct ICEServer: Codable, Sendable, Equatable {
    /// `stun:`, `turn:` or `turns:` URIs of one server.
    public var urls: [String]
    /// For TURN: `<expiry>:<user ID>`, coturn's REST-API scheme.
    public var username: String?
    /// For TURN: base64 of HMAC-SHA1 over `username` with the secret the TURN server shares.
    public var credential: String?

    /// Creates the value.
    public init(urls: [String], username: String?, credential: String?) {
        self.urls = urls
        self.username = username
        self.credential = credential
    }
}

/// What a browser needs to connect a call: the servers, and until when their TURN credentials hold.
public struct ICEConfiguration: Codable, Sendable, Equatable {
    /// STUN servers, then TURN relays; empty when the platform has none (calls then work only without NAT in the way).
    public var iceServers: [ICEServer]
    /// When the TURN credentials stop working; fetch new ones before. Nil without TURN.
    public var expiresAt: Date?
    /// `relay` when calls must go through TURN (nobody learns another's IP address), else `all`: the
    /// `RTCPeerConnection`'s `iceTransportPolicy`.
    public var iceTransportPolicy: TransportPolicy

    /// Which ICE candidates a browser may use.
    public enum TransportPolicy: String, Codable, Sendable {
        case all, relay
    }

    /// Creates the value.
    public init(iceServers: [ICEServer], expiresAt: Date?, iceTransportPolicy: TransportPolicy = .all) {
        self.iceServers = iceServers
        self.expiresAt = expiresAt
        self.iceTransportPolicy = iceTransportPolicy
    }
}
