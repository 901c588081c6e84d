import Fluent
import Foundation
import LotseAPI
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import LotseServer

@Suite("The directory's search index in memory")
struct DirectoryIndexTests {
    /// Searches of every kind: words and prefixes, several words, filters, pages, nothing at all.
    static let searches: [DirectoryService.Search] = [
        .init(), .init(text: "leadership"), .init(text: "fuhr"), .init(text: "coaching karriere"),
        .init(text: "leadership", limit: 2), .init(text: "leadership", page: 2, limit: 2),
        .init(text: "leadership", page: 9, limit: 2), .init(language: "de"), .init(text: "team", language: "en"),
        .init(topic: "Karriere"), .init(format: .inPerson), .init(text: "berlin"), .init(text: "nothing matches"),
        .init(text: "ko", format: .online, page: 1, limit: 3),
    ]

    @Test("It answers every search as the database does, also on another instance after changes made through this one")
    func sameAnswers() async throws {
        try await withTestApp { t in
            let headlines = [
                "Coaching für Führungskräfte", "Leadership for new managers", "Karriere und Neuorientierung",
                "Teams im Wandel", "Kommunikation im Team", "Career change after 40", "Konflikte lösen",
            ]
            var coaches: [Participant] = []
            for index in 0..<9 {
                let coach = try await t.coach("coach\(index)@example.org")
                coaches.append(coach)
                t.clock.advance(by: index % 3 == 0 ? 0 : 60)  // some profiles updated at the same moment
                try await t.publishProfile(
                    coach, slug: "coach-\(index)", headline: headlines[index % headlines.count],
                    bio: index % 2 == 0 ? "Also leadership and Kommunikation." : "Ich begleite Menschen in Berlin.",
                    topics: [["Führung"], ["Karriere", "Leadership"], ["Team"]][index % 3],
                    languages: [["de"], ["en"], ["de", "en"]][index % 3],
                    formats: index % 4 == 0 ? [.online, .inPerson] : [.online],
                    location: index % 4 == 0 ? "Berlin" : nil)
            }
            let database = DirectoryService(db: t.app.db, now: { t.clock.now })
            // Another instance's index, loaded two profiles at a time.
            let other = DirectoryService(db: t.app.db, now: { t.clock.now }, index: DirectoryIndex(loadSlice: 2))
            func expectSame(_ moment: Comment) async throws {
                for search in Self.searches {
                    let expected = try await database.search(search)
                    for service in [
                        other, DirectoryService(db: t.app.db, now: { t.clock.now }, index: t.app.directoryIndex),
                    ] {
                        let answer = try await service.search(search)
                        #expect(answer.total == expected.total, "\(moment): \(search)")
                        #expect(answer.profiles.map(\.slug) == expected.profiles.map(\.slug), "\(moment): \(search)")
                        #expect(answer.profiles == expected.profiles, "\(moment): \(search)")  // names, photos, all
                    }
                }
                #expect(other.index?.isReady == true && t.app.directoryIndex.isReady)
            }
            try await expectSame("as published")
            #expect(try await database.search(.init(text: "leadership")).total >= 5)

            // Through this instance: a new headline, withdrawn and published again, a new name (terms only).
            t.clock.advance(by: 60)
            try await t.publishProfile(
                coaches[1], slug: "coach-1", headline: "Resilienz und Stress", topics: ["Burnout"])
            try await t.publishProfile(coaches[2], slug: "coach-2", isPublished: false)
            try await t.publishProfile(coaches[3], slug: "coach-3", isPublished: false)
            try await t.publishProfile(coaches[3], slug: "coach-3", headline: "Wieder da: Karriere")
            #expect(
                try await t.send(
                    .PATCH, "api/v1/account", json: ["displayName": "Leadership Lena"], token: coaches[4].token
                )
                .status == .ok)
            let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + Data(repeating: 0, count: 64)
            var headers = HTTPHeaders()
            headers.bearerAuthorization = BearerAuthorization(token: coaches[7].token)
            headers.contentType = .png
            let photo = try await t.app.testing().sendRequest(
                .PUT, "api/v1/directory/profile/photo", headers: headers, body: ByteBuffer(bytes: png))
            #expect(photo.status == .noContent)  // a photo, and a newer profile: both in the answers
            try await expectSame("after changes through the API")
            #expect(try await other.search(.init(text: "resilienz")).profiles.map(\.slug) == ["coach-1"])
            #expect(try await other.search(.init(text: "lena")).profiles.map(\.slug) == ["coach-4"])
            #expect(!(try await other.search(.init()).profiles.map(\.slug).contains("coach-2")))

            // Past the indexes: a profile deleted with its account's rows as erasure deletes them, and one whose
            // row a statement changed.
            let sql = t.app.db as! any SQLDatabase
            try await sql.raw("DELETE FROM directory_profiles WHERE user_id = \(bind: coaches[5].id)").run()
            try await sql.raw(
                "UPDATE directory_profiles SET is_published = \(false) WHERE user_id = \(bind: coaches[6].id)"
            )
            .run()
            try await expectSame("after statements past the service")
            let everyone = try await other.search(.init()).profiles.map(\.slug)
            #expect(!everyone.contains("coach-5") && !everyone.contains("coach-6"))
        }
    }

    @Test(
        "Until it has loaded, searches ask the database; an index far behind the log loads everything again, behind the searches"
    )
    func loadingAndCatchingUp() async throws {
        try await withTestApp { t in
            let coach = try await t.coach("coach@example.org")
            try await t.publishProfile(coach, slug: "mara", headline: "Leadership")
            let index = DirectoryIndex()
            #expect(!index.isReady)
            let service = DirectoryService(db: t.app.db, now: { t.clock.now }, index: index)
            #expect(try await service.search(.init(text: "lead")).profiles.map(\.slug) == ["mara"])
            #expect(index.isReady)  // the first search loaded it
            // More changes than are worth applying one by one: the index loads everything again.
            let sql = t.app.db as! any SQLDatabase
            for _ in 0...DirectoryIndex.reloadThreshold {
                try await sql.raw("INSERT INTO directory_changes (profile_id) VALUES (\(bind: UUID()))").run()
            }
            try await t.publishProfile(coach, slug: "mara", headline: "Karriere", topics: ["Karriere"])
            // The search that finds it so far behind is answered by the database, current, and starts the load
            // behind it, once: the next searches meanwhile ask the database too.
            #expect(try await service.search(.init(text: "lead")).profiles.isEmpty)
            let reload = try #require(index.reloading.withLockedValue { $0 })
            #expect(try await service.search(.init(text: "karriere")).profiles.map(\.slug) == ["mara"])
            #expect(index.reloading.withLockedValue { $0 } == reload)
            await reload.value
            #expect(index.isReady)
            try await sql.raw("DELETE FROM directory_changes").run()  // the index alone answers now
            #expect(try await service.search(.init(text: "karriere")).profiles.map(\.slug) == ["mara"])
            #expect(try await service.search(.init(text: "lead")).profiles.isEmpty)
        }
    }
}
