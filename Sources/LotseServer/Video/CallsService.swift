import Fluent
import Foundation
import LotseAPI
import NIOConcurrencyHelpers
import Vapor

/// The rooms of engagements' calls: who is in, who waits, and the relay of sealed signaling between peers. Media and
/// signaling content never reach the server in the clear (docs/video.md).
struct CallsService {
    let db: any Database
    let now: @Sendable () -> Date
    let events: EventHub
    let membership: EngagementMembership
    /// Which call peers this instance's sockets carry.
    let sockets: CallSockets
    let notifications: NotificationsService

    /// Tabs in one call, waiting ones included: a mesh of six is what browsers carry well.
    static let maximumPeers = 6
    /// How long a peer whose socket closed keeps its place (and its admission) for a reconnect.
    static let grace: TimeInterval = 60
    /// A connected peer repeats its join every 25 seconds; one silent for this long is gone (its instance died).
    static let silence: TimeInterval = 90
    /// The longest sealed signal, in base64 characters (an offer's SDP is a few kilobytes).
    static let maximumSignal = 48 * 1024

    /// The engagement's room, for someone in the engagement.
    func room(_ engagement: UUID, for user: UUID) async throws -> CallRoom {
        _ = try await membership.require(engagement, user)
        return try await room(engagement)
    }

    /// Enters `peer` into the call, or notes that it is still there. The coach is let in at once; a client waits
    /// unless one of their tabs was let in already. True when the room changed (and everyone was told).
    @discardableResult
    func join(_ engagement: UUID, peer: UUID, by user: UUID) async throws -> Bool {
        let (record, place) = try await membership.require(engagement, user)
        guard EngagementStatus.ongoing.contains(record.status) else {
            throw VideoError.engagementEnded
        }
        if let existing = try await CallPeerRecord.find(peer, on: db) {
            guard existing.engagementID == engagement, existing.userID == user else { throw VideoError.peerNotFound }
            let returned = !existing.connected
            existing.connected = true
            existing.seenAt = now()
            try await existing.save(on: db)
            if returned { try await announce(engagement) }
            return returned
        }
        let present = try await CallPeerRecord.query(on: db).filter(\.$engagementID == engagement).all()
        guard present.count < Self.maximumPeers else { throw VideoError.roomFull }
        let admitted = place == .coach || present.contains { $0.userID == user && $0.admitted }
        do {
            try await CallPeerRecord(id: peer, engagement: engagement, user: user, admitted: admitted, at: now())
                .create(on: db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return try await join(engagement, peer: peer, by: user)  // the same join raced itself: now it exists
        }
        try await announce(engagement)
        if !admitted {
            try await notifications.post(.waiting, in: engagement, by: user, to: [record.coachID])
        }
        return true
    }

    /// The coach lets a waiting peer in.
    func admit(_ engagement: UUID, peer: UUID, by user: UUID) async throws {
        let (_, place) = try await membership.require(engagement, user)
        guard place == .coach else { throw VideoError.coachOnly }
        let record = try await peerRecord(peer, in: engagement)
        guard !record.admitted else { return }
        record.admitted = true
        try await record.save(on: db)
        try await announce(engagement)
        try await notifications.settle([.waiting], in: engagement, for: [user])
    }

    /// A peer leaves (a second leave changes nothing); the coach may send anyone out.
    func leave(_ engagement: UUID, peer: UUID, by user: UUID) async throws {
        let (_, place) = try await membership.require(engagement, user)
        guard let record = try await CallPeerRecord.find(peer, on: db), record.engagementID == engagement else {
            return
        }
        guard record.userID == user || place == .coach else { throw VideoError.coachOnly }
        try await record.delete(on: db)
        try await announce(engagement)
    }

    /// Removes someone's tabs from a call, when they left the engagement.
    func remove(_ user: UUID, from engagement: UUID) async throws {
        let count = try await CallPeerRecord.query(on: db).filter(\.$engagementID == engagement)
            .filter(\.$userID == user).count()
        guard count > 0 else { return }
        try await CallPeerRecord.query(on: db).filter(\.$engagementID == engagement).filter(\.$userID == user).delete()
        try await announce(engagement)
    }

    /// Passes a sealed signal from one admitted peer of the sender's to another admitted peer of the same call.
    func relay(_ signal: CallSignal, by user: UUID) async throws {
        guard signal.ciphertext.count <= Self.maximumSignal, Data(base64Encoded: signal.ciphertext) != nil else {
            throw RequestError.invalid(field: "signal.ciphertext", reason: "not base64 of at most 36 KiB")
        }
        guard let signature = Data(base64Encoded: signal.signature), signature.count == 64 else {
            throw RequestError.invalid(field: "signal.signature", reason: "not base64 of 64 bytes")
        }
        guard signal.epoch >= 1 else { throw RequestError.invalid(field: "signal.epoch", reason: "not an epoch") }
        _ = try await membership.require(signal.engagement, user)
        let from = try await peerRecord(signal.from, in: signal.engagement)
        let to = try await peerRecord(signal.to, in: signal.engagement)
        guard from.userID == user, signal.from != signal.to else { throw VideoError.peerNotFound }
        guard from.admitted, to.admitted else { throw VideoError.notAdmitted }
        var relayed = signal
        relayed.author = user
        events.send(.signal(relayed), to: [to.userID])
    }

    /// Marks peers whose socket closed as away; they keep their place for ``grace``.
    func disconnected(_ peers: [CallSockets.Peer]) async throws {
        guard !peers.isEmpty else { return }
        try await CallPeerRecord.query(on: db).filter(\.$id ~~ peers.map(\.peer)).set(\.$connected, to: false)
            .set(\.$seenAt, to: now()).update()
        for engagement in Set(peers.map(\.engagement)) { try await announce(engagement) }
    }

    /// Forgets peers that did not come back within ``grace``, or fell silent; run every 30 seconds.
    func forgetGone() async throws {
        let now = now()
        let gone = try await CallPeerRecord.query(on: db).group(.or) { either in
            either.filter(\.$seenAt < now.addingTimeInterval(-Self.silence)).group(.and) { away in
                away.filter(\.$connected == false).filter(\.$seenAt < now.addingTimeInterval(-Self.grace))
            }
        }.all()
        guard !gone.isEmpty else { return }
        try await CallPeerRecord.query(on: db).filter(\.$id ~~ gone.compactMap(\.id)).delete()
        for engagement in Set(gone.map(\.engagementID)) { try await announce(engagement) }
    }

    // MARK: Helpers

    private func peerRecord(_ peer: UUID, in engagement: UUID) async throws -> CallPeerRecord {
        guard let record = try await CallPeerRecord.find(peer, on: db), record.engagementID == engagement else {
            throw VideoError.peerNotFound
        }
        return record
    }

    /// The room, for a caller that already checked the requester is in the engagement.
    func room(_ engagement: UUID) async throws -> CallRoom {
        let peers = try await CallPeerRecord.query(on: db).filter(\.$engagementID == engagement).sort(\.$joinedAt)
            .all()
        return CallRoom(engagement: engagement, peers: peers.map(\.wire))
    }

    /// Tells everyone in the engagement, in the call or not, who is in its room now.
    private func announce(_ engagement: UUID) async throws {
        guard let record = try await EngagementRecord.find(engagement, on: db) else { return }
        events.send(.room(try await room(engagement)), to: try await membership.participants(of: record))
    }
}

/// Which call peers each open socket of this instance carries, so that a closed socket marks them away.
final class CallSockets: Sendable {
    struct Peer: Hashable, Sendable {
        let engagement: UUID
        let peer: UUID
    }

    private let peers = NIOLockedValueBox<[ObjectIdentifier: Set<Peer>]>([:])

    func add(_ peer: Peer, on socket: WebSocket) {
        _ = peers.withLockedValue { $0[ObjectIdentifier(socket), default: []].insert(peer) }
    }

    func remove(_ peer: Peer, from socket: WebSocket) {
        _ = peers.withLockedValue { $0[ObjectIdentifier(socket)]?.remove(peer) }
    }

    /// Forgets a closed socket; answers its peers that no other socket of this instance carries (a tab that
    /// reconnected before the old socket's close was noticed stays connected).
    func close(_ socket: WebSocket) -> [Peer] {
        peers.withLockedValue { all in
            let mine = all.removeValue(forKey: ObjectIdentifier(socket)) ?? []
            let elsewhere = all.values.reduce(into: Set<Peer>()) { $0.formUnion($1) }
            return Array(mine.subtracting(elsewhere))
        }
    }
}
