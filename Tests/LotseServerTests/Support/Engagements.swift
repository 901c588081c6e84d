import Fluent
import Foundation
import LotseAPI
import LotseCrypto
import Testing
import Vapor

@testable import LotseServer

/// An engagement as a test sees it: its ID, its conversation and epoch 1's key, and who is in it.
struct TestEngagement: Sendable {
    let id: UUID
    let conversation: UUID
    let key: ConversationKey
    let coach: Participant
    let clients: [Participant]

    var path: String { "api/v1/engagements/\(id)" }

    /// Seals text as `author` under the conversation key of `epoch`.
    func seal(_ text: EngagementText, id: UUID = UUID(), by author: Participant, epoch: UInt32 = 1) throws
        -> SealedContent
    {
        try EngagementCipher.seal(
            text, id: id, engagement: self.id, author: author.id, epoch: epoch, key: key,
            signingKey: author.keys.signing)
    }
}

extension TestContext {
    /// A coach: signed up with keys and two-factor sign-in on, as the role demands.
    func coach(_ email: String) async throws -> Participant {
        let coach = try await participant(email, role: .coach)
        _ = try await TwoFactorTests.enable(self, token: coach.token)
        return coach
    }

    /// Gives an account another role directly in the database (as an admin would), with two-factor on.
    func promote(_ someone: Participant, to role: Role) async throws {
        try await UserRecord.query(on: app.db).filter(\.$id == someone.id).set(\.$role, to: role).update()
        _ = try await TwoFactorTests.enable(self, token: someone.token)
    }

    /// Publishes a directory profile for `coach`.
    @discardableResult
    func publishProfile(
        _ coach: Participant, slug: String, headline: String = "Coaching for new leaders",
        bio: String = "I accompany people through their first months in a new role.",
        topics: [String] = ["Leadership"], languages: [String] = ["de", "en"],
        formats: [SessionFormat] = [.online], location: String? = nil, isPublished: Bool = true
    ) async throws -> DirectoryProfile {
        let response = try await send(
            .PUT, "api/v1/directory/profile",
            json: SaveDirectoryProfile(
                slug: slug, headline: headline, bio: bio, topics: topics, languages: languages, formats: formats,
                location: location, rate: Price(amount: 12_000, currency: "EUR", per: .session),
                timeZone: "Europe/Berlin", isPublished: isPublished),
            token: coach.token)
        #expect([.created, .ok].contains(response.status), "\(response.text)")
        return try response.decode()
    }

    /// A client's inquiry to `coach` through the directory, with goals and context sealed.
    func inquire(from client: Participant, to coach: Participant, text: String = "I start a new job in March")
        async throws -> TestEngagement
    {
        let id = UUID()
        let (conversation, key) = try newConversation(client, with: [coach])
        let engagement = TestEngagement(
            id: id, conversation: conversation.id, key: key, coach: coach, clients: [client])
        let response = try await send(
            .POST, "api/v1/inquiries",
            json: CreateInquiry(
                id: id, profileId: coach.id, conversation: conversation,
                inquiry: try engagement.seal(EngagementText(title: "Goals", text: text), by: client)),
            token: client.token)
        #expect(response.status == .created, "\(response.text)")
        return engagement
    }

    /// `coach` finds `someone` by address, as before an invitation: from then on the coach may write to them.
    func lookUp(_ someone: Participant, by coach: Participant) async throws {
        let found = try await send(.GET, "api/v1/keys/lookup?email=\(someone.email)", token: coach.token)
        #expect(found.status == .ok, "\(found.text)")
    }

    /// A coach's invitation of `clients`; a group when there are several or `isGroup`.
    func invite(_ clients: [Participant], by coach: Participant, isGroup: Bool? = nil) async throws -> TestEngagement {
        let id = UUID()
        for client in clients { try await lookUp(client, by: coach) }  // as the web client does
        let (conversation, key) = try newConversation(coach, with: clients)
        let response = try await send(
            .POST, "api/v1/engagements",
            json: CreateEngagement(id: id, conversation: conversation, isGroup: isGroup ?? (clients.count > 1)),
            token: coach.token)
        #expect(response.status == .created, "\(response.text)")
        return TestEngagement(id: id, conversation: conversation.id, key: key, coach: coach, clients: clients)
    }

    /// Takes an engagement to `active`: the coach proposes an agreement and every client confirms it.
    func agree(_ engagement: TestEngagement) async throws {
        let proposed = try await send(
            .PUT, engagement.path + "/agreement",
            json: ProposeAgreement(
                sessions: 6, fee: Price(amount: 90_000, currency: "EUR", per: .engagement), startsOn: "2026-12-01",
                endsOn: "2027-03-10",
                scope: try engagement.seal(EngagementText(text: "Six sessions"), by: engagement.coach)),
            token: engagement.coach.token)
        let version = try proposed.decode(Engagement.self).agreement?.version ?? 0
        for client in engagement.clients {
            let confirmed = try await send(
                .POST, engagement.path + "/agreement/confirm", json: ConfirmAgreement(version: version),
                token: client.token)
            #expect(confirmed.status == .ok, "\(confirmed.text)")
        }
    }

    /// Saves an item (by default under the ID its sealed text is bound to) and returns the response.
    @discardableResult
    func saveItem(_ item: SaveEngagementItem, id: UUID? = nil, in engagement: TestEngagement, as who: Participant)
        async throws -> APIResponse
    {
        let id = id ?? item.sealed?.id ?? UUID()
        return try await send(.PUT, engagement.path + "/items/\(id)", json: item, token: who.token)
    }
}
