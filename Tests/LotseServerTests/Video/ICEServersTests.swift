import Foundation
import LotseAPI
import Testing
import Vapor

@testable import LotseServer

@Suite("ICE servers for video calls")
struct ICEServersTests {
    @Test("Without TURN configured a browser gets no servers; signed out it gets nothing at all")
    func withoutTURN() async throws {
        try await withTestApp { t in
            let person = try await t.participant("caller@example.org")
            let answer = try await t.send(.GET, "api/v1/video/ice-servers", token: person.token)
            #expect(try answer.decode(ICEConfiguration.self) == ICEConfiguration(iceServers: [], expiresAt: nil))
            let anonymous = try await t.send(.GET, "api/v1/video/ice-servers")
            #expect(anonymous.status == .unauthorized)
        }
    }

    @Test("With STUN and TURN, each account gets its own credentials that expire after the configured time")
    func credentialsPerAccount() async throws {
        let environment = [
            "LOTSE_STUN_URLS": "stun:stun.example.org:3478",
            "LOTSE_TURN_URLS": "turn:turn.example.org:3478?transport=udp, turns:turn.example.org:5349",
            "LOTSE_TURN_SECRET": "shared", "LOTSE_TURN_TTL_SECONDS": "3600",
        ]
        try await withTestApp(environment: environment) { t in
            let ada = try await t.participant("ada@example.org")
            let ben = try await t.participant("ben@example.org")
            let answer = try await t.send(.GET, "api/v1/video/ice-servers", token: ada.token)
            #expect(answer.headers.first(name: .cacheControl)?.contains("no-store") == true)
            let config = try answer.decode(ICEConfiguration.self)
            let expiry = Int(t.clock.now.timeIntervalSince1970) + 3_600
            #expect(config.expiresAt == Date(timeIntervalSince1970: TimeInterval(expiry)))
            #expect(config.iceServers.count == 2)
            #expect(
                config.iceServers[0] == ICEServer(urls: ["stun:stun.example.org:3478"], username: nil, credential: nil))
            let turn = config.iceServers[1]
            #expect(turn.urls == ["turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:5349"])
            #expect(turn.username == "\(expiry):\(ada.id.uuidString.lowercased())")
            // RFC 2104 HMAC-SHA1 of that username under "shared", computed by openssl in the test below.
            #expect(turn.credential == (try await opensslHMAC(key: "shared", turn.username ?? "")))
            let other = try await t.send(.GET, "api/v1/video/ice-servers", token: ben.token)
                .decode(ICEConfiguration.self)
            #expect(other.iceServers[1].username != turn.username)
            #expect(other.iceServers[1].credential != turn.credential)
            #expect(config.iceTransportPolicy == .all)
        }
    }

    @Test("With LOTSE_TURN_RELAY_ONLY, browsers are told to use the relay only")
    func relayOnly() async throws {
        let environment = [
            "LOTSE_TURN_URLS": "turn:turn.example.org:3478", "LOTSE_TURN_SECRET": "shared",
            "LOTSE_TURN_RELAY_ONLY": "true",
        ]
        try await withTestApp(environment: environment) { t in
            let ada = try await t.participant("ada@example.org")
            let config = try await t.send(.GET, "api/v1/video/ice-servers", token: ada.token)
                .decode(ICEConfiguration.self)
            #expect(config.iceTransportPolicy == .relay)
            #expect(config.iceServers.map(\.urls) == [["turn:turn.example.org:3478"]])
        }
    }

    /// base64(HMAC-SHA1(key, text)) by the openssl command line: a second implementation to compare with.
    func opensslHMAC(key: String, _ text: String) async throws -> String {
        try await runCommand(
            "sh", ["-c", "printf %s \"$TEXT\" | openssl dgst -sha1 -hmac \"$KEY\" -binary | base64"],
            environment: ["TEXT": text, "KEY": key, "PATH": "/usr/bin:/bin"]
        ).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
