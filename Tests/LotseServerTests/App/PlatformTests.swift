import Fluent
import Foundation
import LotseAPI
import NIOCore
import Testing
import Vapor
import VaporTesting

@testable import LotseServer

@Suite("Platform: headers, errors, configuration, localization")
struct PlatformTests {
    @Test("Pages and API answers carry strict security headers; API answers are never cached")
    func securityHeaders() async throws {
        try await withTestApp { t in
            // Pages by route ("settings") and as files (""), the API by route and without one (a 404).
            let paths = ["", "login", "settings", "favicon.svg", "api/v1/health", "api/v1/live", "api/v1/nothing-here"]
            for path in paths {
                let response = try await t.send(.GET, path)
                let csp = try #require(response.headers.first(name: "Content-Security-Policy"))
                #expect(csp.contains("script-src 'self'"))
                #expect(csp.contains("frame-ancestors 'none'"))
                #expect(!csp.contains("unsafe-inline"))
                #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff")
                #expect(response.headers.first(name: "Referrer-Policy") == "no-referrer")
                #expect(response.headers.first(name: "Strict-Transport-Security")?.contains("max-age=") == true)
                if path.hasPrefix("api") {
                    #expect(response.headers.first(name: .cacheControl) == "no-store")
                } else {
                    #expect(response.headers.first(name: .cacheControl) != "no-store", "\(path)")
                }
            }
            let live = try await t.send(.GET, "api/v1/live")
            #expect(live.text == #"{"status":"ok"}"# && live.headers.contentType == .json)
            #expect(try live.decode(Live.self).status == "ok")
            let missing = try await t.send(.GET, "api/v1/nothing-here")
            #expect(missing.status == .notFound)
            #expect(missing.errorCode == "request.not_found")
            let page = try await t.send(.GET, "settings")
            #expect(page.status == .ok)
            #expect(page.text.contains("<html"))
        }
    }

    @Test("API answers are made as Vapor would make them from its content configuration: same status, type and bytes")
    func apiAnswersAsVaporWould() async throws {
        try await withTestApp { t in
            let token = try await t.signUp("answer@example.org")
            let answer = try await t.send(.GET, "api/v1/account", token: token)
            let account = try answer.decode(Account.self)
            // Vapor's own way, with the encoder `configure` installed for JSON.
            let vapor = Response()
            try vapor.content.encode(account)
            #expect(answer.status == .ok && answer.headers.contentType == vapor.headers.contentType)
            #expect(answer.body == vapor.body.data)
            // A status chosen by the handler survives (keys stored the first time: 201).
            let request = Request(application: t.app, on: t.app.eventLoopGroup.next())
            let created = try await account.encodeResponse(status: .created, for: request)
            #expect(created.status == .created && created.body.data == vapor.body.data)
        }
    }

    @Test("Every error code the server can answer with has a message in German and in English")
    func everyErrorIsTranslated() throws {
        let sources = try FileManager.default.subpathsOfDirectory(atPath: repositoryRoot + "/Sources/LotseServer")
            .filter { $0.hasSuffix(".swift") }
            .map { try String(contentsOfFile: repositoryRoot + "/Sources/LotseServer/" + $0, encoding: .utf8) }
            .joined()
        let pattern = try Regex(#""((?:accounts|auth|request|server)\.[a-z_]+)""#)
        let codes = Set(sources.matches(of: pattern).compactMap { $0.output[1].substring.map(String.init) })
        #expect(codes.count > 30)
        for code in codes {
            #expect(L10n.english[code] != nil, "no English message for \(code)")
            #expect(L10n.german[code] != nil, "no German message for \(code)")
        }
        #expect(Set(L10n.english.keys) == Set(L10n.german.keys))
    }

    @Test("The server answers exactly the web client's addresses (Public/js/routes.js) with its page")
    func webClientPages() throws {
        let table = try String(contentsOfFile: repositoryRoot + "/Public/js/routes.js", encoding: .utf8)
        let paths = table.matches(of: #/\{ path: '([^']+)'/#).map { String($0.output.1) }
        #expect(paths.count > 20)
        // "/" is index.html itself, served as the folder's default file.
        #expect(Set(paths) == Set(WebClient.pages.map { "/" + $0 } + ["/"]))
        #expect(paths.count == Set(paths).count, "each address once")
    }

    @Test("index.html preloads every module of the web client, so a browser fetches them at once, not one by one")
    func everyModuleIsPreloaded() throws {
        let index = try String(contentsOfFile: repositoryRoot + "/Public/index.html", encoding: .utf8)
        let preloaded = Set(
            index.matches(of: #/<link rel="modulepreload" href="/js/([^"]+)">/#).map { String($0.output.1) })
        let folder = repositoryRoot + "/Public/js/"
        let modules = Set(
            try FileManager.default.subpathsOfDirectory(atPath: folder).filter {
                $0.hasSuffix(".js") && $0 != "main.js"
            })
        #expect(modules.count > 40)
        #expect(
            preloaded == modules, "missing: \(modules.subtracting(preloaded)), gone: \(preloaded.subtracting(modules))")
    }

    @Test("The features' migrations run in the order they shipped, and no two features declare the same text")
    func featureRegistry() throws {
        let shipped = Features.all.flatMap(\.migrations).map(\.order).sorted()
        #expect(shipped == Array(1...shipped.count), "each migration has its own place in the order")
        // The order they had when Migrations.swift listed them: a database made by an older version sees the same.
        #expect(
            Features.migrations.map { String(describing: type(of: $0)) } == [
                "CreateUsers", "CreateAuthSessions", "CreateAccountTokens", "CreateRecoveryCodes", "CreateThrottles",
                "CreateMessaging", "CreateFormerMembers", "CreateDirectory", "CreateEngagements", "CreateScheduling",
                "CreateCalls", "CreateTechChecks", "CreateLookupGrants", "CreateKeyHistory", "CreateNotifications",
                "ReindexDirectory", "CreatePrograms", "AddPairWork", "LoosenNotificationSubject", "CreateAuditLog",
                "AddAuditOnceKey", "CreateRetention", "CreateConsents",
                "CreateRetentionSettings", "CreateErasure", "CreateProgramRetention", "AnnounceSessionChanges",
                "CreateDirectoryChanges",
            ])
        var owners: [String: Int] = [:]
        for table in Features.texts {
            #expect(Set(table.english.keys) == Set(table.german.keys))
            for key in table.english.keys { owners[key, default: 0] += 1 }
        }
        #expect(owners.filter { $0.value > 1 }.isEmpty, "declared twice: \(owners.filter { $0.value > 1 }.keys)")
    }

    @Test("Bad configuration stops start-up with a sentence that names the variable")
    func configurationErrors() throws {
        let base = ["LOTSE_RESOURCES_DIR": repositoryRoot]
        let cases: [([String: String], String)] = [
            (["LOTSE_PORT": "eighty"], "LOTSE_PORT"),
            (["LOTSE_PUBLIC_URL": "x"], "LOTSE_PUBLIC_URL"),
            (["DATABASE_URL": "mysql://localhost/db"], "DATABASE_URL"),
            (["LOTSE_SMTP_HOST": "mail", "LOTSE_SMTP_SECURITY": "maybe"], "LOTSE_SMTP_SECURITY"),
            (["LOTSE_TLS_CERT": "/nonexistent.pem"], "LOTSE_TLS_CERT"),
            (["LOTSE_TRUSTED_PROXIES": "10.0.0.0/99"], "LOTSE_TRUSTED_PROXIES"),
            (["LOTSE_SECRET": "short"], "LOTSE_SECRET"),
            (["LOTSE_RESOURCES_DIR": "/nonexistent"], "LOTSE_RESOURCES_DIR"),
            (["LOTSE_TURN_URLS": "turn:turn.example.org"], "LOTSE_TURN_URLS and LOTSE_TURN_SECRET"),
            (["LOTSE_TURN_SECRET": "shared"], "LOTSE_TURN_URLS and LOTSE_TURN_SECRET"),
            (["LOTSE_TURN_URLS": "https://turn.example.org", "LOTSE_TURN_SECRET": "s"], "LOTSE_TURN_URLS"),
            (["LOTSE_TURN_URLS": "turn:t", "LOTSE_TURN_SECRET": "s", "LOTSE_TURN_TTL_SECONDS": "5"], "LOTSE_TURN_TTL"),
            (["LOTSE_TURN_RELAY_ONLY": "true"], "LOTSE_TURN_RELAY_ONLY needs"),
            (
                ["LOTSE_TURN_URLS": "turn:t", "LOTSE_TURN_SECRET": "s", "LOTSE_TURN_RELAY_ONLY": "yes"],
                "LOTSE_TURN_RELAY_ONLY: \"yes\""
            ),
            (["LOTSE_STUN_URLS": "turn:turn.example.org"], "LOTSE_STUN_URLS"),
        ]
        for (environment, variable) in cases {
            #expect {
                try AppConfig(environment: base.merging(environment) { $1 })
            } throws: { error in
                "\(error)".hasPrefix(variable)
            }
        }
        let config = try AppConfig(
            environment: base.merging([
                "DATABASE_URL": "postgres://lotse@127.0.0.1:5432/lotse", "LOTSE_PORT": "9000",
                "LOTSE_PUBLIC_URL": "https://coaching.example", "LOTSE_SMTP_HOST": "smtp.example",
                "LOTSE_TRUSTED_PROXIES": "10.0.0.0/8, ::1",
            ]) { $1 })
        #expect(config.port == 9000)
        #expect(config.isSecure)
        #expect(config.database == .postgres(URL(string: "postgres://lotse@127.0.0.1:5432/lotse")!))
        #expect(config.mail == .smtp(SMTPSettings(host: "smtp.example", port: 587, security: .starttls)))
        #expect(config.trustedProxies.count == 2)
        #expect(config.trustedProxies[0].contains("10.20.30.40"))
        #expect(!config.trustedProxies[0].contains("11.0.0.1"))
        #expect(config.trustedProxies[1].contains("::1"))
    }

    @Test("serve's --port and --hostname flags win over the environment, and the public URL follows them")
    func flagsWin() throws {
        let config = try AppConfig(
            environment: ["LOTSE_RESOURCES_DIR": repositoryRoot, "LOTSE_PORT": "8000"],
            arguments: ["lotse", "serve", "--hostname", "0.0.0.0", "-p", "9001"])
        #expect(config.port == 9001)
        #expect(config.hostname == "0.0.0.0")
        #expect(config.publicURL.absoluteString == "http://localhost:9001")
        #expect(throws: ConfigError.self) {
            try AppConfig(environment: ["LOTSE_RESOURCES_DIR": repositoryRoot], arguments: ["serve", "--port", "x"])
        }
    }

    @Test("Behind a trusted proxy, X-Forwarded-For names the client; from anyone else it is ignored")
    func forwardedFor() async throws {
        try await withTestApp(environment: ["LOTSE_TRUSTED_PROXIES": "127.0.0.1"]) { t in
            let request = Request(
                application: t.app, method: .GET, url: "/", headers: ["X-Forwarded-For": "203.0.113.9, 127.0.0.1"],
                remoteAddress: try SocketAddress(ipAddress: "127.0.0.1", port: 4000), on: t.app.eventLoopGroup.next())
            #expect(request.clientAddress == "203.0.113.9")
            let direct = Request(
                application: t.app, method: .GET, url: "/", headers: ["X-Forwarded-For": "203.0.113.9"],
                remoteAddress: try SocketAddress(ipAddress: "198.51.100.7", port: 4000), on: t.app.eventLoopGroup.next()
            )
            #expect(direct.clientAddress == "198.51.100.7")
        }
    }

    @Test("Accept-Language picks German or English by quality, English when nothing fits")
    func languageNegotiation() {
        #expect(Language.preferred(by: "de-CH") == .de)
        #expect(Language.preferred(by: "en;q=0.4, de;q=0.8") == .de)
        #expect(Language.preferred(by: "fr-FR, it") == .en)
        #expect(Language.preferred(by: nil) == .en)
        #expect(Language.preferred(by: "de;q=0, en") == .en)
    }
}

@Suite("Event loops: one per core the process may use")
struct EventLoopCountTests {
    @Test("Linux's CPU lists are counted: single cores, ranges, both; anything else is no answer")
    func cpuLists() {
        #expect(EventLoopCount.cores(inList: "0") == 1)
        #expect(EventLoopCount.cores(inList: "\t0-1") == 2)
        #expect(EventLoopCount.cores(inList: "0-3,8,10-11") == 7)
        for list in ["", "a", "3-1", "0-", "1-2-3", "0,,"] {
            #expect(EventLoopCount.cores(inList: Substring(list)) == nil, "\(list)")
        }
        let status = "Name:\tlotse\nCpus_allowed:\t5\nCpus_allowed_list:\t0,2\nMems_allowed:\t1\n"
        #expect(EventLoopCount.allowedCores(status: status) == 2)
        #expect(EventLoopCount.allowedCores(status: "Name:\tlotse\n") == nil)
    }
}

@Suite("Method handling")
struct MethodTests {
    @Test("A known address with the wrong method answers 405 with Allow; an unknown one 404")
    func methodNotAllowed() async throws {
        try await withTestApp { t in
            let wrong = try await t.send(.DELETE, "api/v1/auth/login")
            #expect(wrong.status == .methodNotAllowed)
            #expect(wrong.headers.first(name: "Allow") == "POST")
            #expect(wrong.errorCode == "request.method_not_allowed")
            let account = try await t.send(.PUT, "api/v1/account")
            #expect(account.headers.first(name: "Allow") == "GET, PATCH")
            let session = try await t.send(.GET, "api/v1/account/sessions/\(UUID())")
            #expect(session.headers.first(name: "Allow") == "DELETE")
            #expect(try await t.send(.GET, "api/v1/nowhere").status == .notFound)
        }
    }
}
