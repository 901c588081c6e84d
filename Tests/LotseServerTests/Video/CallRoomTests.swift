import Fluent
import Foundation
import LotseAPI
import Testing
import Vapor
import VaporTesting

@testable import LotseServer

@Suite("Call rooms: the waiting room, admission, relaying sealed signals, dropped connections")
struct CallRoomTests {
    /// A signal as a browser sends it; the server checks only its shape.
    static func signal(_ engagement: TestEngagement, from: UUID, to: UUID, author: UUID? = nil) -> CallSignal {
        CallSignal(
            id: UUID(), engagement: engagement.id, from: from, to: to, author: author, epoch: 1,
            ciphertext: Data("sealed offer".utf8).base64EncodedString(),
            signature: Data(repeating: 7, count: 64).base64EncodedString())
    }

    /// The room in the latest `room` event a device got for an engagement that matches.
    @discardableResult
    static func room(
        _ device: SocketClient, _ description: String, after: Int = 0, where matches: @escaping (CallRoom) -> Bool
    ) async throws -> CallRoom {
        let event = try await device.next(description, after: after) {
            if case .room(let room) = $0 { matches(room) } else { false }
        }
        guard case .room(let room) = event else { throw CancellationError() }
        return room
    }

    static func refusal(_ device: SocketClient, _ id: UUID, _ code: String) async throws -> String {
        let event = try await device.next(code) { if case .error(id, code, _) = $0 { true } else { false } }
        guard case .error(_, _, let message) = event else { return "" }
        return message
    }

    @Test("The coach is in at once; a client waits until let in; signals pass only between admitted peers")
    func waitingRoomAndRelay() async throws {
        try await withTestApp { t in
            let coach = try await t.coach("coach@example.org")
            let client = try await t.participant("client@example.org")
            let outsider = try await t.participant("outsider@example.org")
            let engagement = try await t.invite([client], by: coach)
            let port = try await t.serve()
            let group = t.app.eventLoopGroup
            let coachDevice = try await SocketClient.connect(port: port, token: coach.token, on: group)
            let clientDevice = try await SocketClient.connect(port: port, token: client.token, on: group)
            let outsiderDevice = try await SocketClient.connect(port: port, token: outsider.token, on: group)
            let (coachPeer, clientPeer) = (UUID(), UUID())

            // The client comes first and waits; the coach, not yet in the call, sees it on her own device.
            try await clientDevice.send(.join(engagement: engagement.id, peer: clientPeer))
            let waiting = CallPeer(id: clientPeer, user: client.id, admitted: false, connected: true)
            try await Self.room(coachDevice, "client waiting") { $0.peers == [waiting] }
            try await Self.room(clientDevice, "own place in the waiting room") { $0.peers == [waiting] }

            // A waiting peer cannot signal, nor let itself in.
            let early = Self.signal(engagement, from: clientPeer, to: coachPeer)
            try await clientDevice.send(.signal(early))
            #expect(try await Self.refusal(clientDevice, early.id, "video.peer_not_found").contains("not in the call"))
            try await clientDevice.send(.admit(engagement: engagement.id, peer: clientPeer))
            _ = try await Self.refusal(clientDevice, clientPeer, "video.coach_only")

            try await coachDevice.send(.join(engagement: engagement.id, peer: coachPeer))
            try await Self.room(clientDevice, "coach in") { $0.peers.contains { $0.id == coachPeer && $0.admitted } }
            let stillWaiting = Self.signal(engagement, from: clientPeer, to: coachPeer)
            try await clientDevice.send(.signal(stillWaiting))
            _ = try await Self.refusal(clientDevice, stillWaiting.id, "video.not_admitted")

            try await coachDevice.send(.admit(engagement: engagement.id, peer: clientPeer))
            try await Self.room(clientDevice, "let in") { $0.peers.allSatisfy(\.admitted) && $0.peers.count == 2 }

            // A signal reaches the other peer's account with the author the server authenticated, whatever it claimed.
            let offer = Self.signal(engagement, from: clientPeer, to: coachPeer, author: outsider.id)
            try await clientDevice.send(.signal(offer))
            var relayed = offer
            relayed.author = client.id
            try await coachDevice.next("relayed offer") { $0 == .signal(relayed) }
            // Nobody else gets it, and a peer cannot pose as another's.
            let posing = Self.signal(engagement, from: coachPeer, to: clientPeer)
            try await clientDevice.send(.signal(posing))
            _ = try await Self.refusal(clientDevice, posing.id, "video.peer_not_found")

            // Someone outside the engagement learns nothing: not the room, not the signals, and cannot join.
            let intruder = UUID()
            try await outsiderDevice.send(.join(engagement: engagement.id, peer: intruder))
            _ = try await Self.refusal(outsiderDevice, intruder, "engagements.not_found")
            let response = try await t.send(.GET, engagement.path + "/call", token: outsider.token)
            #expect(response.status == .notFound)
            try await Task.sleep(for: .milliseconds(100))
            #expect(!outsiderDevice.events.contains { if case .room = $0 { true } else { false } })
            #expect(!outsiderDevice.events.contains { if case .signal = $0 { true } else { false } })

            let room = try await t.send(.GET, engagement.path + "/call", token: client.token)
            #expect(try room.decode(CallRoom.self).peers.map(\.id) == [clientPeer, coachPeer])

            // Leaving gives the place up; a second leave changes nothing.
            try await clientDevice.send(.leave(engagement: engagement.id, peer: clientPeer))
            try await Self.room(coachDevice, "client left") { $0.peers.map(\.id) == [coachPeer] }
            let refusals = { clientDevice.events.filter { if case .error = $0 { true } else { false } }.count }
            let before = refusals()
            try await clientDevice.send(.leave(engagement: engagement.id, peer: clientPeer))
            try await clientDevice.send(.ping)
            try await clientDevice.next("pong") { $0 == .pong }
            #expect(refusals() == before)
            for device in [coachDevice, clientDevice, outsiderDevice] { try await device.close() }
        }
    }

    @Test("A dropped connection keeps the peer's place and admission for a minute; after that it is forgotten")
    func droppedConnections() async throws {
        try await withTestApp { t in
            let coach = try await t.coach("coach@example.org")
            let client = try await t.participant("client@example.org")
            let engagement = try await t.invite([client], by: coach)
            let port = try await t.serve()
            let group = t.app.eventLoopGroup
            let coachDevice = try await SocketClient.connect(port: port, token: coach.token, on: group)
            var clientDevice = try await SocketClient.connect(port: port, token: client.token, on: group)
            let (coachPeer, clientPeer) = (UUID(), UUID())
            try await coachDevice.send(.join(engagement: engagement.id, peer: coachPeer))
            try await clientDevice.send(.join(engagement: engagement.id, peer: clientPeer))
            try await Self.room(coachDevice, "client waiting") { $0.peers.count == 2 }
            try await coachDevice.send(.admit(engagement: engagement.id, peer: clientPeer))
            try await Self.room(coachDevice, "both in") { $0.peers.count == 2 && $0.peers.allSatisfy(\.admitted) }

            var seen = coachDevice.events.count
            try await clientDevice.close()
            let away = CallPeer(id: clientPeer, user: client.id, admitted: true, connected: false)
            try await Self.room(coachDevice, "client away", after: seen) { $0.peers.contains(away) }

            // Back within the minute, on a new socket: in again, without waiting.
            t.clock.advance(by: 30)
            let calls: CallsService = t.app.make(on: t.app.db)
            try await calls.join(engagement.id, peer: coachPeer, by: coach.id)  // the coach's heartbeat
            seen = coachDevice.events.count
            clientDevice = try await SocketClient.connect(port: port, token: client.token, on: group)
            try await clientDevice.send(.join(engagement: engagement.id, peer: clientPeer))
            let back = CallPeer(id: clientPeer, user: client.id, admitted: true, connected: true)
            try await Self.room(coachDevice, "client back", after: seen) { $0.peers.contains(back) }
            try await calls.forgetGone()
            #expect(try await CallPeerRecord.query(on: t.app.db).count() == 2)

            // Away for longer than the grace: forgotten, and everyone is told.
            seen = coachDevice.events.count
            try await clientDevice.close()
            try await Self.room(coachDevice, "client away again", after: seen) { $0.peers.contains(away) }
            t.clock.advance(by: CallsService.grace + 1)
            try await calls.join(engagement.id, peer: coachPeer, by: coach.id)
            seen = coachDevice.events.count
            try await calls.forgetGone()
            try await Self.room(coachDevice, "client forgotten", after: seen) { $0.peers.map(\.id) == [coachPeer] }

            // A tab silent for too long (its server died without closing the socket) is forgotten too.
            t.clock.advance(by: CallsService.silence + 1)
            try await calls.forgetGone()
            #expect(try await CallPeerRecord.query(on: t.app.db).count() == 0)
            try await coachDevice.close()
        }
    }

    @Test("A call holds six tabs; bad signals and ended engagements get clear refusals")
    func limitsAndRefusals() async throws {
        try await withTestApp { t in
            let coach = try await t.coach("coach@example.org")
            var clients: [Participant] = []
            for index in 1...6 { clients.append(try await t.participant("client\(index)@example.org")) }
            let engagement = try await t.invite(clients, by: coach)
            try await t.agree(engagement)
            let port = try await t.serve()
            let group = t.app.eventLoopGroup
            let coachDevice = try await SocketClient.connect(port: port, token: coach.token, on: group)
            let coachPeer = UUID()
            try await coachDevice.send(.join(engagement: engagement.id, peer: coachPeer))
            var devices: [SocketClient] = []
            var peers: [UUID] = []
            for client in clients {
                let device = try await SocketClient.connect(port: port, token: client.token, on: group)
                let peer = UUID()
                try await device.send(.join(engagement: engagement.id, peer: peer))
                devices.append(device)
                peers.append(peer)
                if devices.count < clients.count {
                    try await Self.room(device, "own place") { $0.peers.contains { $0.id == peer } }
                }
            }
            try await Self.room(coachDevice, "six in the room") { $0.peers.count == CallsService.maximumPeers }
            let message = try await Self.refusal(devices[5], peers[5], "video.room_full")
            #expect(message.contains("6"))

            // Removing someone from the group takes their tab out of the call.
            var seen = coachDevice.events.count
            let removed = try await t.send(
                .DELETE, engagement.path + "/clients/\(clients[0].id)", token: coach.token)
            #expect(removed.status == .noContent)
            try await Self.room(coachDevice, "removed client gone", after: seen) {
                !$0.peers.contains { $0.id == peers[0] }
            }

            try await coachDevice.send(.admit(engagement: engagement.id, peer: peers[1]))
            try await Self.room(coachDevice, "second client in") {
                $0.peers.contains { $0.id == peers[1] && $0.admitted }
            }
            var bad = Self.signal(engagement, from: coachPeer, to: peers[1])
            bad.ciphertext = "not base64!"
            try await coachDevice.send(.signal(bad))
            #expect(try await Self.refusal(coachDevice, bad.id, "request.invalid").contains("signal.ciphertext"))
            var unsigned = Self.signal(engagement, from: coachPeer, to: peers[1])
            unsigned.signature = "AAAA"
            try await coachDevice.send(.signal(unsigned))
            #expect(try await Self.refusal(coachDevice, unsigned.id, "request.invalid").contains("signal.signature"))

            // The coach may send a tab out; a client may not.
            try await devices[3].send(.leave(engagement: engagement.id, peer: peers[2]))
            _ = try await Self.refusal(devices[3], peers[2], "video.coach_only")
            seen = devices[2].events.count
            try await coachDevice.send(.leave(engagement: engagement.id, peer: peers[2]))
            try await Self.room(devices[2], "sent out", after: seen) { !$0.peers.contains { $0.id == peers[2] } }

            let closed = try await t.send(.POST, engagement.path + "/close", token: coach.token)
            #expect(closed.status == .ok, "\(closed.text)")
            let late = UUID()
            try await devices[2].send(.join(engagement: engagement.id, peer: late))
            #expect(try await Self.refusal(devices[2], late, "video.engagement_ended").contains("ended"))
            for device in devices + [coachDevice] { try await device.close() }
        }
    }
}
