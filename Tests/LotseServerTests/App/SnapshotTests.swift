import Fluent
import Foundation
import LotseAPI
import Testing
import Vapor

@testable import LotseServer

/// What people receive, byte for byte, kept in Tests/Snapshots/: the directory's pages, a calendar file and every
/// mail, in German and English. A change to any of them shows in `git diff` and is reviewed like code.
@Suite("Snapshots of what people receive")
struct SnapshotTests {
    static let updated = Date(timeIntervalSince1970: 1_795_000_000)

    static func coach(_ number: Int, _ name: String, slug: String, photo: Bool) -> DirectoryProfile {
        DirectoryProfile(
            id: UUID(uuidString: "00000000-0000-4000-8000-00000000000\(number)")!, slug: slug, displayName: name,
            headline: "Führung & Neuanfang: die ersten 100 Tage im neuen Job",
            bio: "Zwanzig Jahre Personalentwicklung.\n\nIch begleite online, auf Deutsch und Englisch.",
            topics: ["Führung", "Karriere"], languages: ["de", "en"], formats: [.online, .inPerson],
            location: "Leipzig", rate: Price(amount: 12_000, currency: "EUR", per: .session),
            timeZone: "Europe/Berlin", hasPhoto: photo, isPublished: true, updatedAt: updated)
    }

    @Test("The directory's pages: a search with results and with none, a profile, and an address with no coach")
    func directoryPages() throws {
        var search = DirectoryService.Search()
        search.text = "führung"
        search.limit = 2
        let found = DirectoryPage(
            profiles: [
                Self.coach(1, "Dr. Anna Becker", slug: "anna-becker", photo: true),
                Self.coach(2, "Jonas Weber", slug: "jonas-weber", photo: false),
            ], total: 3)
        var nothing = DirectoryService.Search()
        nothing.text = "<script>alert(1)</script> & „Zitat“"
        let models: [(String, DirectoryPageModel)] = [
            // The first coach is free next on Thursday, 19 November 2026, 16:00 in Berlin; the second has no times.
            (
                "search",
                .search(search, found, nextFree: [found.profiles[0].id: Date(timeIntervalSince1970: 1_795_100_400)])
            ),
            ("empty", .search(nothing, DirectoryPage(profiles: [], total: 0))),
            ("profile", .profile(Self.coach(1, "Dr. Anna Becker", slug: "anna-becker", photo: true))),
            ("not-found", .notFound),
        ]
        // A reader with a session is led into the app instead of to signing in.
        try expectSnapshot(
            DirectoryPageRender.render(models[0].1, in: .de, signedIn: true).html, "directory/search.signed-in.de.html")
        for (name, model) in models {
            for language in [Language.de, .en] {
                let page = DirectoryPageRender.render(model, in: language)
                #expect(page.status == (name == "not-found" ? .notFound : .ok))
                try expectSnapshot(page.html, "directory/\(name).\(language.rawValue).html")
            }
        }
    }

    @Test("A booking's calendar file, as the coach's and the client's mails carry it")
    func calendarFile() async throws {
        try await withTestApp { t in
            let coach = UserRecord()
            coach.id = UUID(uuidString: "00000000-0000-4000-8000-0000000000c1")
            coach.displayName = "Dr. Anna Becker"
            coach.email = "anna@example.org"
            let client = UserRecord()
            client.id = UUID(uuidString: "00000000-0000-4000-8000-0000000000c2")
            client.displayName = "Lena Schmidt"
            client.email = "lena@example.org"
            let booking = BookingRecord()
            booking.id = UUID(uuidString: "00000000-0000-4000-8000-0000000000b1")
            booking.engagementID = UUID(uuidString: "00000000-0000-4000-8000-0000000000e1")!
            booking.coachID = coach.id!
            booking.sessionTypeID = UUID(uuidString: "00000000-0000-4000-8000-0000000000f1")!
            booking.title = "Erstgespräch"
            booking.status = .confirmed
            booking.startsAt = Date(timeIntervalSince1970: 1_797_001_200)  // 2026-12-11 15:00 UTC, 16:00 in Berlin
            booking.durationMinutes = 50
            booking.format = .inPerson
            booking.location = "Praxis, Karl-Liebknecht-Str. 1; 04107 Leipzig"
            booking.timeZone = "Europe/Berlin"
            booking.bufferBefore = 10
            booking.bufferAfter = 10
            booking.sequence = 1
            booking.proposedStarts = "[]"
            booking.createdBy = client.id!
            booking.createdAt = Self.updated
            booking.updatedAt = Self.updated
            let scheduling: SchedulingService = t.app.make(on: t.app.db)
            for language in [Language.de, .en] {
                let event = try #require(
                    scheduling.event(booking, people: [coach, client], for: client.id, language))
                try expectSnapshot(
                    scheduling.calendar([event], method: .request), "calendar/booking.\(language.rawValue).ics")
            }
        }
    }

    @Test("Every mail's subject and text, German and English, with its arguments marked ⟨0⟩, ⟨1⟩, …")
    func mails() throws {
        let templates = Set(
            L10n.english.keys.filter { $0.hasPrefix("mail.") && $0.hasSuffix(".subject") }
                .map { String($0.dropFirst(5).dropLast(8)) })
        #expect(templates.count >= 12)
        let mailer = Mailer(
            transport: OutboxTransport(directory: NSTemporaryDirectory(), log: { _ in }),
            from: "Lotse <no-reply@lotse.example>", publicURL: URL(string: "https://lotse.example")!,
            logger: .init(label: "snapshots"), texts: L10n.catalog)
        for template in templates.sorted() {
            for language in [Language.de, .en] {
                let mail = mailer.compose(
                    template, to: "person@example.org", in: language, arguments: (0..<8).map { "⟨\($0)⟩" },
                    now: Self.updated)
                // Every placeholder of the text is filled: no "{6}" left for people to read.
                #expect(mail.body.firstMatch(of: #/\{\d\}/#) == nil, "\(template): a placeholder without an argument")
                try expectSnapshot(
                    "Subject: \(mail.subject)\n\n\(mail.body)\n", "mail/\(template).\(language.rawValue).txt")
            }
        }
    }
}
