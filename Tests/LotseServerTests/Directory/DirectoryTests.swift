import Fluent
import Foundation
import LotseAPI
import NIOCore
import Testing
import Vapor
import VaporTesting

@testable import LotseServer

@Suite("The public directory of coaches")
struct DirectoryTests {
    @Test("German and English words find profiles by stem and prefix, whatever the spelling of umlauts")
    func searchTerms() {
        #expect(DirectorySearch.queryTerms("Führung") == DirectorySearch.queryTerms("fuehrung"))
        #expect(
            DirectorySearch.terms("Führungskräfte").contains { $0.hasPrefix(DirectorySearch.queryTerms("Führung")[0]) })
        #expect(DirectorySearch.terms("Coaching für Coaches") == DirectorySearch.terms("coach fur coach"))
        #expect(DirectorySearch.terms("München") == DirectorySearch.terms("Muenchen"))
        #expect(DirectorySearch.terms("Straße") == DirectorySearch.terms("strasse"))
        #expect(DirectorySearch.queryTerms("a b c") == [])  // single letters are no words
    }

    @Test("A topic is found by its German or English synonym; short words must match whole")
    func synonyms() async throws {
        let career = DirectorySearch.withSynonyms(DirectorySearch.terms("Career change"))
        #expect(DirectorySearch.queryTerms("Karriere").allSatisfy { term in career.contains { $0.hasPrefix(term) } })
        let leaders = DirectorySearch.withSynonyms(DirectorySearch.terms("Coaching für Führungskräfte"))
        #expect(leaders.contains(DirectorySearch.stem("leadership")))
        // "job" brings the career words only as a word of its own, not inside "jobsharing"-like words of other topics.
        #expect(!DirectorySearch.withSynonyms(DirectorySearch.terms("Jobbörse")).contains("karrier"))
        try await withTestApp { t in
            let coach = try await t.coach("coach@example.org")
            try await t.publishProfile(coach, slug: "mara", headline: "New roles", topics: ["Career change"])
            let other = try await t.coach("other@example.org")
            try await t.publishProfile(other, slug: "ole", headline: "Teams im Wandel", topics: ["Führungskräfte"])
            func found(_ query: String) async throws -> [String] {
                try await t.send(.GET, "api/v1/directory/coaches?q=" + query).decode(DirectoryPage.self).profiles
                    .map(\.slug)
            }
            #expect(try await found("Karriere") == ["mara"])
            #expect(try await found("laufbahn") == ["mara"])
            #expect(try await found("leadership") == ["ole"])
            #expect(try await found("karriere%20leadership") == [])  // every word must match, as before
        }
    }

    @Test("A search result shows when the coach is next free, from their hours and bookings")
    func nextFreeTime() async throws {
        try await withTestApp { t in
            let coach = try await t.coach("coach@example.org")
            try await t.publishProfile(coach, slug: "mara")
            let before = try await t.send(.GET, "coaches?lang=en")
            #expect(before.text.contains("mara") && !before.text.contains("Next free time"))
            _ = try await makeBookable(t, coach)
            let after = try await t.send(.GET, "coaches?lang=en")
            // The test clock stands at Wednesday, 18 November 2026, 18:13 UTC; with 12 hours' notice and hourly
            // starts from 9:00 in Berlin, Thursday 9:00 is next.
            #expect(after.text.contains("Next free time: Thu 19 Nov at 09:00 (Europe/Berlin)"), "\(after.text)")
        }
    }

    @Test("Coaches publish profiles; search matches text and filters; unpublished profiles stay hidden")
    func publishAndSearch() async throws {
        try await withTestApp { t in
            let mara = try await t.coach("mara@example.org")
            let jon = try await t.coach("jon@example.org")
            let hidden = try await t.coach("hidden@example.org")
            try await t.publishProfile(
                mara, slug: "mara", headline: "Coaching für Führungskräfte",
                bio: "Ich begleite Menschen in ihren ersten 100 Tagen.", topics: ["Führung", "Karriere"],
                languages: ["de"], formats: [.online, .inPerson], location: "München")
            t.clock.advance(by: 60)
            try await t.publishProfile(
                jon, slug: "jon", headline: "Mentoring for software engineers", bio: "Career growth and leadership.",
                topics: ["Leadership", "Career"], languages: ["en"], formats: [.online])
            try await t.publishProfile(hidden, slug: "hidden", headline: "Führung", isPublished: false)

            func search(_ query: String) async throws -> [String] {
                try await t.send(.GET, "api/v1/directory/coaches?" + query).decode(DirectoryPage.self).profiles
                    .map(\.slug)
            }
            // Jon's "Leadership" is found by its German word too (the newer profile first).
            #expect(try await search("q=fuehrungskraefte") == ["jon", "mara"])
            #expect(try await search("q=F%C3%BChrung") == ["jon", "mara"])  // a prefix of "Führungskräfte"
            #expect(try await search("q=leadership%20engineers") == ["jon"])
            // A word in the headline or topics ranks above the same word only in the about text, even when that
            // profile is newer.
            let ola = try await t.coach("ola@example.org")
            t.clock.advance(by: 60)
            try await t.publishProfile(
                ola, slug: "ola", headline: "Systemische Beratung", bio: "Also some leadership coaching.",
                topics: ["Beratung"], languages: ["en"])
            #expect(try await search("q=leadership") == ["jon", "mara", "ola"])
            #expect(try await search("q=leadership&limit=1&page=3") == ["ola"])
            #expect(try await search("q=Muenchen") == ["mara"])
            #expect(try await search("language=en") == ["ola", "jon"])
            #expect(try await search("format=in_person") == ["mara"])
            #expect(try await search("topic=karriere") == ["mara"])
            #expect(try await search("q=leadership&language=de") == ["mara"])
            #expect(try await search("q=engineers&language=de") == [])
            #expect(try await search("") == ["ola", "jon", "mara"])  // the most recently updated first
            let bad = try await t.send(.GET, "api/v1/directory/coaches?format=carrier-pigeon")
            #expect(bad.status == .badRequest && bad.field == "format")
            let tooMany = try await t.send(.GET, "api/v1/directory/coaches?limit=500")
            #expect(tooMany.status == .badRequest && tooMany.field == "limit")
            #expect(try await t.send(.GET, "api/v1/directory/coaches/\(hidden.id)").status == .notFound)

            // A renamed coach is found by the new name.
            #expect(
                try await t.send(.PATCH, "api/v1/account", json: ["displayName": "Mara Sommer"], token: mara.token)
                    .status == .ok)
            #expect(try await search("q=sommer") == ["mara"])
        }
    }

    @Test("Only coaches have profiles; slugs are unique; bad input names its field and keeps the stored profile")
    func profileRules() async throws {
        try await withTestApp { t in
            let coach = try await t.coach("coach@example.org")
            let other = try await t.coach("other@example.org")
            let client = try await t.participant("client@example.org")
            let saved = try await t.publishProfile(coach, slug: "anna-berg")
            let notCoach = try await t.send(
                .PUT, "api/v1/directory/profile",
                json: SaveDirectoryProfile(
                    slug: "client", headline: "x", bio: "", topics: [], languages: ["de"], formats: [.online],
                    timeZone: "Europe/Berlin", isPublished: true),
                token: client.token)
            #expect(notCoach.status == .forbidden && notCoach.errorCode == "directory.coaches_only")
            let base = SaveDirectoryProfile(
                slug: "anna-berg", headline: "x", bio: "", topics: [], languages: ["de"], formats: [.online],
                timeZone: "Europe/Berlin", isPublished: true)
            let taken = try await t.send(.PUT, "api/v1/directory/profile", json: base, token: other.token)
            #expect(taken.status == .conflict && taken.field == "slug")
            var cases: [(SaveDirectoryProfile, String)] = []
            var profile = base
            profile.slug = "Anna Berg"
            cases.append((profile, "slug"))
            profile = base
            profile.timeZone = "Mars/Olympus"
            cases.append((profile, "timeZone"))
            profile = base
            profile.languages = ["deutsch"]
            cases.append((profile, "languages"))
            profile = base
            profile.formats = [.inPerson]
            cases.append((profile, "location"))
            profile = base
            profile.rate = Price(amount: 100, currency: "euro", per: .hour)
            cases.append((profile, "rate"))
            profile = base
            profile.headline = String(repeating: "x", count: 141)
            cases.append((profile, "headline"))
            for (input, field) in cases {
                let response = try await t.send(.PUT, "api/v1/directory/profile", json: input, token: coach.token)
                #expect(response.status == .badRequest && response.field == field, "\(field): \(response.text)")
            }
            let kept = try await t.send(.GET, "api/v1/directory/profile", token: coach.token).decode(
                DirectoryProfile.self)
            #expect(kept == saved)
        }
    }

    @Test("A photo must be a real PNG, JPEG or WebP of at most 2 MiB; it is served with its own type")
    func photo() async throws {
        try await withTestApp { t in
            let coach = try await t.coach("coach@example.org")
            try await t.publishProfile(coach, slug: "with-photo")
            let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + Data(repeating: 1, count: 100)
            func upload(_ data: Data) async throws -> APIResponse {
                var headers = HTTPHeaders()
                headers.bearerAuthorization = BearerAuthorization(token: coach.token)
                headers.contentType = .png
                let response = try await t.app.testing().sendRequest(
                    .PUT, "api/v1/directory/profile/photo", headers: headers, body: ByteBuffer(bytes: data))
                return APIResponse(
                    status: response.status, headers: response.headers, body: Data(response.body.readableBytesView))
            }
            #expect(try await upload(Data("<svg onload=alert(1)>".utf8)).errorCode == "directory.photo_type")
            #expect(try await upload(png + Data(count: 2 * 1_048_576)).status == .payloadTooLarge)
            #expect(try await upload(png).status == .noContent)
            let served = try await t.send(.GET, "api/v1/directory/coaches/\(coach.id)/photo")
            #expect(served.status == .ok && served.body == png)
            #expect(served.headers.contentType == .png)
            #expect(
                try await t.send(.GET, "api/v1/directory/coaches/\(coach.id)").decode(DirectoryProfile.self).hasPhoto)
            #expect(
                try await t.send(.DELETE, "api/v1/directory/profile/photo", token: coach.token).status == .noContent)
            #expect(try await t.send(.GET, "api/v1/directory/coaches/\(coach.id)/photo").status == .notFound)
        }
    }

    @Test("The public pages are server-rendered in German or English, escape what coaches write, and link the inquiry")
    func pages() async throws {
        try await withTestApp { t in
            let coach = try await t.coach("coach@example.org")
            try await t.publishProfile(
                coach, slug: "mara", headline: "<script>alert('x')</script> Führung", topics: ["Führung"])
            let german = try await t.send(
                .GET, "coaches?q=f%C3%BChrung", headers: ["Accept-Language": "de-DE,de;q=0.9"])
            #expect(german.status == .ok && german.headers.contentType?.subType == "html")
            #expect(german.text.contains("<html lang=\"de\">"))
            #expect(german.text.contains("Coach, Mentorin oder Mentor finden"))
            #expect(german.text.contains("1 gefunden"))
            #expect(german.text.contains("href=\"/coaches/mara?lang=de\""))
            #expect(!german.text.contains("<script>"))
            #expect(german.text.contains("&lt;script&gt;"))
            let english = try await t.send(.GET, "coaches/mara?lang=en")
            #expect(english.text.contains("Send an inquiry"))
            #expect(english.text.contains("href=\"/inquire/\(coach.id.uuidString)\""))
            #expect(english.text.contains("€120.00 per session"))
            let missing = try await t.send(.GET, "coaches/nobody")
            #expect(missing.status == .notFound && missing.text.contains("no longer public"))
            let lenient = try await t.send(.GET, "coaches?page=abc&format=x")
            #expect(lenient.status == .ok)
        }
    }
}
