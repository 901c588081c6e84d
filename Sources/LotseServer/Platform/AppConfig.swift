import Foundation

/// Everything the server reads from its environment, checked once at start-up (see README.md for the variables).
///
/// `main.swift` builds it from the process environment; tests build it from a dictionary. Nothing else reads
/// `LOTSE_…` variables. A bad value stops start-up with a sentence naming the variable.
public struct AppConfig: Sendable {
    /// Which database holds the data.
    public enum Database: Sendable, Equatable {
        /// An SQLite file (the default: `<data dir>/lotse.sqlite`).
        case sqliteFile(String)
        /// An in-memory SQLite database, for tests.
        case sqliteMemory
        /// A PostgreSQL server, from `DATABASE_URL=postgres://…`.
        case postgres(URL)

        /// Whether several instances may share it.
        var isPostgres: Bool {
            if case .postgres = self { return true }
            return false
        }
    }

    /// How mail leaves the server.
    public enum Mail: Sendable, Equatable {
        /// No SMTP server configured: mails are written as `.eml` files to `<data dir>/outbox` and logged.
        case outbox(String)
        /// A real SMTP server.
        case smtp(SMTPSettings)
    }

    /// Where the server listens.
    public var hostname: String
    /// The port (`0` picks a free one, for tests).
    public var port: Int
    /// Where the SQLite file, the outbox and the server secret live.
    public var dataDirectory: String
    /// The database.
    public var database: Database
    /// The address people open; links in mails point there and it decides whether cookies are `Secure`.
    public var publicURL: URL
    /// How mail is sent and who it comes from.
    public var mail: Mail
    /// The sender address of mails.
    public var mailFrom: String
    /// PEM certificate chain and key: when set, the server speaks HTTPS itself.
    public var tls: (certificatePath: String, keyPath: String)?
    /// Reverse proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed.
    public var trustedProxies: [IPRange]
    /// The folder holding `Public/` (the web client) and `openapi/`; the working directory unless `LOTSE_RESOURCES_DIR`.
    public var resourcesDirectory: String
    /// bcrypt's cost factor for stored login keys (12 in production; tests may lower it).
    public var bcryptCost: Int
    /// A 32-byte secret for sealing TOTP secrets and deriving decoy salts; from `LOTSE_SECRET` or `<data dir>/secret.key`.
    public var secret: Data?
    /// The audit log's signing key (Ed25519, 32 bytes); from `LOTSE_AUDIT_KEY` or `<data dir>/audit.key`.
    public var auditKey: Data?
    /// Who runs this instance, for the privacy notice: `LOTSE_OPERATOR_NAME`, `LOTSE_OPERATOR_CONTACT` (postal
    /// address and mail, as it should read), `LOTSE_DPO_CONTACT` (the data protection officer, if there is one).
    public var operatorName: String?
    public var operatorContact: String?
    public var dataProtectionContact: String?
    /// The largest request body the server accepts.
    public var maxBodySize: Int
    /// How an SQLite commit reaches the disk (`LOTSE_SQLITE_SYNCHRONOUS`, see docs/realtime.md).
    public enum SQLiteSynchronous: String, Sendable {
        /// fsync on every commit: survives power loss.
        case full = "FULL"
        /// fsync at checkpoints: survives the process dying, not necessarily a power cut.
        case normal = "NORMAL"
    }

    /// How an SQLite commit reaches the disk.
    public var sqliteSynchronous: SQLiteSynchronous
    /// The largest attachment (after encryption overhead) a message may carry.
    public var attachmentLimit: Int
    /// Failed sign-ins per client address and 15 minutes (`LOTSE_LOGIN_LIMIT_PER_ADDRESS`), and sign-ups and reset
    /// requests per client address and hour (`LOTSE_SIGNUP_LIMIT_PER_ADDRESS`; sign-ups through an open program's
    /// invitation link do not count): raise them where many people share one address (a campus or company NAT).
    public var loginLimitPerAddress: Int
    public var signUpLimitPerAddress: Int
    /// Open WebSockets one server instance accepts (`LOTSE_MAX_SOCKETS`), and one account (`LOTSE_MAX_SOCKETS_PER_ACCOUNT`).
    public var maxSockets: Int
    public var maxSocketsPerAccount: Int
    /// STUN servers browsers may use to find their public address (`LOTSE_STUN_URLS`).
    public var stunURLs: [String] = []
    /// TURN relays for calls behind NAT (`LOTSE_TURN_URLS`, `LOTSE_TURN_SECRET`), or nil.
    public var turn: TURNSettings?

    /// The WebSockets' limits, with the configured numbers of sockets.
    var socketLimits: SocketLimits {
        var limits = SocketLimits()
        limits.perServer = maxSockets
        limits.perAccount = maxSocketsPerAccount
        return limits
    }

    /// The files under `LOTSE_RESOURCES_DIR` the server needs.
    static let resources = [
        "Public/index.html", "Public/js/main.js", "Public/css/app.css", "Public/i18n/en.json", "Public/i18n/de.json",
        "openapi/lotse.yaml",
    ]

    /// Whether the browser reaches the server over HTTPS, directly or through a proxy.
    public var isSecure: Bool { publicURL.scheme == "https" }

    /// Reads the configuration from environment variables; `serve`'s `--hostname`/`-H` and `--port`/`-p` flags in
    /// `arguments` win over `LOTSE_HOST` and `LOTSE_PORT`, so links in mails name the address actually served.
    public init(environment: [String: String], arguments: [String] = []) throws {
        var env = environment
        for (index, argument) in arguments.enumerated() where index + 1 < arguments.count {
            switch argument {
            case "--hostname", "-H": env["LOTSE_HOST"] = arguments[index + 1]
            case "--port", "-p": env["LOTSE_PORT"] = arguments[index + 1]
            default: break
            }
        }
        self.hostname = env["LOTSE_HOST"] ?? "127.0.0.1"
        self.port = try Self.integer(env, "LOTSE_PORT", default: 8080, in: 0...65_535)
        self.dataDirectory = env["LOTSE_DATA_DIR"] ?? FileManager.default.currentDirectoryPath + "/data"

        if let databaseURL = env["DATABASE_URL"], !databaseURL.isEmpty {
            guard let url = URL(string: databaseURL), ["postgres", "postgresql"].contains(url.scheme ?? "") else {
                throw ConfigError("DATABASE_URL: \"\(databaseURL)\" is not a postgres:// URL")
            }
            self.database = .postgres(url)
        } else if env["LOTSE_SQLITE"] == ":memory:" {
            self.database = .sqliteMemory
        } else {
            self.database = .sqliteFile(env["LOTSE_SQLITE"] ?? dataDirectory + "/lotse.sqlite")
        }

        let tlsCert = env["LOTSE_TLS_CERT"]
        let tlsKey = env["LOTSE_TLS_KEY"]
        switch (tlsCert, tlsKey) {
        case (let cert?, let key?):
            for path in [cert, key] where !FileManager.default.isReadableFile(atPath: path) {
                throw ConfigError("LOTSE_TLS_CERT/LOTSE_TLS_KEY: cannot read \"\(path)\"")
            }
            self.tls = (cert, key)
        case (nil, nil):
            self.tls = nil
        default:
            throw ConfigError("LOTSE_TLS_CERT and LOTSE_TLS_KEY must be set together")
        }

        let defaultHost = hostname == "0.0.0.0" || hostname == "::" ? "localhost" : hostname
        let defaultURL = "\(tls == nil ? "http" : "https")://\(defaultHost):\(port)"
        let publicURLText = env["LOTSE_PUBLIC_URL"] ?? defaultURL
        guard let url = URL(string: publicURLText), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            throw ConfigError("LOTSE_PUBLIC_URL: \"\(publicURLText)\" is not an absolute http(s) URL")
        }
        self.publicURL = url

        if let host = env["LOTSE_SMTP_HOST"], !host.isEmpty {
            let security = try SMTPSettings.Security(parsing: env["LOTSE_SMTP_SECURITY"] ?? "starttls")
            let defaultPort = security == .tls ? 465 : 587
            self.mail = .smtp(
                SMTPSettings(
                    host: host,
                    port: try Self.integer(env, "LOTSE_SMTP_PORT", default: defaultPort, in: 1...65_535),
                    security: security,
                    username: env["LOTSE_SMTP_USERNAME"],
                    password: env["LOTSE_SMTP_PASSWORD"],
                    caFile: try env["LOTSE_SMTP_CA_FILE"].map { path in
                        guard FileManager.default.isReadableFile(atPath: path) else {
                            throw ConfigError("LOTSE_SMTP_CA_FILE: cannot read \"\(path)\"")
                        }
                        return path
                    }
                ))
        } else {
            self.mail = .outbox(dataDirectory + "/outbox")
        }
        self.mailFrom = env["LOTSE_MAIL_FROM"] ?? "Lotse <no-reply@\(url.host ?? "localhost")>"

        self.trustedProxies = try (env["LOTSE_TRUSTED_PROXIES"] ?? "")
            .split(separator: ",")
            .map { try IPRange(parsing: $0.trimmingCharacters(in: .whitespaces), variable: "LOTSE_TRUSTED_PROXIES") }
        self.resourcesDirectory = env["LOTSE_RESOURCES_DIR"] ?? FileManager.default.currentDirectoryPath
        // Every file the server answers with outside Public/'s own files, checked now rather than at the first
        // request (a missing openapi/ answered 500 before).
        for resource in Self.resources
        where !FileManager.default.fileExists(atPath: resourcesDirectory + "/" + resource) {
            throw ConfigError(
                "LOTSE_RESOURCES_DIR: \"\(resourcesDirectory)\" has no \(resource); set it to the folder that holds "
                    + "Public/ and openapi/ (the repository folder), or run lotse from there")
        }
        self.bcryptCost = try Self.integer(env, "LOTSE_BCRYPT_COST", default: 12, in: 4...31)
        self.maxBodySize = try Self.integer(env, "LOTSE_MAX_BODY_BYTES", default: 1_048_576, in: 1_024...1_073_741_824)
        switch (env["LOTSE_SQLITE_SYNCHRONOUS"] ?? "full").lowercased() {
        case "full": self.sqliteSynchronous = .full
        case "normal": self.sqliteSynchronous = .normal
        case let other:
            throw ConfigError("LOTSE_SQLITE_SYNCHRONOUS: \"\(other)\" is neither full nor normal")
        }
        self.attachmentLimit = try Self.integer(
            env, "LOTSE_ATTACHMENT_MAX_BYTES", default: 25 * 1_048_576, in: 1_024...1_073_741_824)
        self.loginLimitPerAddress = try Self.integer(
            env, "LOTSE_LOGIN_LIMIT_PER_ADDRESS", default: Throttle.Policy.loginPerAddress.limit, in: 1...1_000_000)
        self.signUpLimitPerAddress = try Self.integer(
            env, "LOTSE_SIGNUP_LIMIT_PER_ADDRESS", default: Throttle.Policy.mailPerAddress.limit, in: 1...1_000_000)
        self.maxSockets = try Self.integer(env, "LOTSE_MAX_SOCKETS", default: 20_000, in: 1...1_000_000)
        self.maxSocketsPerAccount = try Self.integer(env, "LOTSE_MAX_SOCKETS_PER_ACCOUNT", default: 16, in: 1...1_000)

        self.stunURLs = try Self.uris(env, "LOTSE_STUN_URLS", schemes: ["stun", "stuns"])
        let turnURLs = try Self.uris(env, "LOTSE_TURN_URLS", schemes: ["turn", "turns"])
        switch (turnURLs.isEmpty, env["LOTSE_TURN_SECRET"] ?? "") {
        case (true, ""): break
        case (false, let secret) where !secret.isEmpty:
            self.turn = TURNSettings(
                urls: turnURLs, secret: secret,
                lifetime: try Self.integer(env, "LOTSE_TURN_TTL_SECONDS", default: 43_200, in: 300...604_800))
        default: throw ConfigError("LOTSE_TURN_URLS and LOTSE_TURN_SECRET must be set together")
        }
        switch env["LOTSE_TURN_RELAY_ONLY"] ?? "false" {
        case "false": break
        case "true":
            guard turn != nil else {
                throw ConfigError("LOTSE_TURN_RELAY_ONLY needs LOTSE_TURN_URLS and LOTSE_TURN_SECRET")
            }
            self.turn?.relayOnly = true
        case let other: throw ConfigError("LOTSE_TURN_RELAY_ONLY: \"\(other)\" is neither true nor false")
        }

        if let secret = env["LOTSE_SECRET"] {
            guard let bytes = Data(base64Encoded: secret), bytes.count == 32 else {
                throw ConfigError("LOTSE_SECRET: must be base64 of 32 bytes (openssl rand -base64 32)")
            }
            self.secret = bytes
        }
        func text(_ name: String) -> String? {
            env[name].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        self.operatorName = text("LOTSE_OPERATOR_NAME")
        self.operatorContact = text("LOTSE_OPERATOR_CONTACT")
        self.dataProtectionContact = text("LOTSE_DPO_CONTACT")
        if let key = env["LOTSE_AUDIT_KEY"] {
            guard let bytes = Data(base64Encoded: key), bytes.count == 32 else {
                throw ConfigError("LOTSE_AUDIT_KEY: must be base64 of 32 bytes (openssl rand -base64 32)")
            }
            self.auditKey = bytes
        }
    }

    /// A comma-separated list of URIs with one of `schemes`, e.g. `turn:turn.example.org:3478?transport=udp`.
    static func uris(_ env: [String: String], _ name: String, schemes: Set<String>) throws -> [String] {
        let uris = (env[name] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        for uri in uris {
            let scheme = uri.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
            guard schemes.contains(scheme.lowercased()), uri.count > scheme.count + 1 else {
                throw ConfigError("\(name): \"\(uri)\" is not a \(schemes.sorted().joined(separator: "/")): URI")
            }
        }
        return uris
    }

    static func integer(_ env: [String: String], _ name: String, default value: Int, in range: ClosedRange<Int>) throws
        -> Int
    {
        guard let text = env[name] else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw ConfigError(
                "\(name): \"\(text)\" is not a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }
}

/// TURN relays sharing a secret with Lotse (coturn's `use-auth-secret`), see docs/deploy.md.
public struct TURNSettings: Sendable, Equatable {
    /// `turn:` and `turns:` URIs of the relays.
    public var urls: [String]
    /// coturn's `static-auth-secret`.
    public var secret: String
    /// How long credentials stay valid, in seconds.
    public var lifetime: Int
    /// Calls go through the relay only (`LOTSE_TURN_RELAY_ONLY=true`), so people never learn each other's IP address.
    public var relayOnly = false
}

/// SMTP connection settings.
public struct SMTPSettings: Sendable, Equatable {
    /// How the connection is protected.
    public enum Security: String, Sendable, Equatable {
        /// Plain text; only for a relay on the same machine.
        case none
        /// Upgrade with STARTTLS (port 587).
        case starttls
        /// TLS from the first byte (port 465).
        case tls

        init(parsing text: String) throws {
            guard let value = Security(rawValue: text.lowercased()) else {
                throw ConfigError("LOTSE_SMTP_SECURITY: \"\(text)\" is not one of none, starttls, tls")
            }
            self = value
        }
    }

    /// The server's host name.
    public var host: String
    /// Its port.
    public var port: Int
    /// How the connection is protected.
    public var security: Security
    /// For AUTH PLAIN, when the server wants it.
    public var username: String?
    /// For AUTH PLAIN.
    public var password: String?
    /// A PEM file of certificate authorities to trust instead of the system's, for a relay with a private CA.
    public var caFile: String? = nil
}
