import Foundation
import LotseAPI
import Testing
import Vapor
import VaporTesting

@testable import LotseServer

@Suite("Looking people up by address")
struct KeyLookupTests {
    @Test("Only a coach or admin with two-factor on gets an answer; everyone else's answer is 'not found'")
    func whoMayLookUp() async throws {
        try await withTestApp { t in
            let client = try await t.participant("client@example.org")
            _ = try await t.participant("other@example.org")
            let fresh = try await t.participant("fresh.coach@example.org", role: .coach)
            let coach = try await t.coach("coach@example.org")
            func lookUp(_ address: String, as who: Participant) async throws -> APIResponse {
                let query = address.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                return try await t.send(.GET, "api/v1/keys/lookup?email=\(query)", token: who.token)
            }

            // A coach who has not set up two-factor sign-in yet is stopped at the gate.
            let early = try await lookUp("client@example.org", as: fresh)
            #expect(early.status == .forbidden && early.errorCode == "accounts.two_factor_required")

            let found = try await lookUp("Client@Example.org", as: coach)
            #expect(found.status == .ok)
            #expect(try found.decode(PublicKeys.self).userId == client.id)

            // A client asking about an existing account, and anyone asking about an unknown one: the same answer.
            let notAllowed = try await lookUp("other@example.org", as: client)
            let unknown = try await lookUp("nobody@example.org", as: coach)
            let unverified = try await t.send(
                .POST, "api/v1/auth/register",
                json: RegisterAccount(
                    email: "unverified@example.org", displayName: "U", role: .client, language: .en,
                    kdf: TestCredentials().kdf, loginKey: TestCredentials().loginKey))
            #expect(unverified.status == .accepted)
            let notVerified = try await lookUp("unverified@example.org", as: coach)
            for answer in [notAllowed, unknown, notVerified] {
                #expect(answer.status == .notFound)
                #expect(answer.errorCode == "messaging.member_not_found")
                #expect(answer.text == unknown.text)
            }
        }
    }

    @Test("Each requester may look up 30 addresses an hour, found or not")
    func rateLimited() async throws {
        try await withTestApp { t in
            let coach = try await t.coach("coach@example.org")
            let colleague = try await t.coach("colleague@example.org")
            for index in 0..<30 {
                let answer = try await t.send(
                    .GET, "api/v1/keys/lookup?email=guess\(index)%40example.org", token: coach.token)
                #expect(answer.status == .notFound)
            }
            let limited = try await t.send(.GET, "api/v1/keys/lookup?email=colleague%40example.org", token: coach.token)
            #expect(limited.status == .tooManyRequests)
            #expect(Int(limited.headers.first(name: "Retry-After") ?? "") ?? 0 > 0)
            // Another requester is not affected, and the window passes.
            let other = try await t.send(.GET, "api/v1/keys/lookup?email=coach%40example.org", token: colleague.token)
            #expect(other.status == .ok)
            t.clock.advance(by: 3_601)
            let later = try await t.send(.GET, "api/v1/keys/lookup?email=colleague%40example.org", token: coach.token)
            #expect(later.status == .ok)
        }
    }
}
