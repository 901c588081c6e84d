import Foundation
import LotseAPI
import NIOCore
import Testing
import Vapor
import VaporTesting

@testable import LotseServer

@Suite("Serving")
struct ServingTests {
    @Test("With a certificate and key the server speaks HTTPS itself, and sends HSTS")
    func servesHTTPS() async throws {
        let certificate = try await SelfSignedCertificate.make()
        try await withTestApp(environment: [
            "LOTSE_TLS_CERT": certificate.certificatePath, "LOTSE_TLS_KEY": certificate.keyPath, "LOTSE_PORT": "0",
        ]) { t in
            let port = try await t.serve()
            let response = try await runCommand(
                "curl",
                [
                    "--silent", "--show-error", "--include", "--cacert", certificate.certificatePath,
                    "https://127.0.0.1:\(port)/api/v1/health",
                ])
            #expect(response.status == 0)
            #expect(response.output.hasPrefix("HTTP/1.1 200"))
            #expect(response.output.lowercased().contains("strict-transport-security: max-age=31536000"))
            #expect(response.output.contains(#""status":"ok""#))
            let plain = try await runCommand(
                "curl", ["--silent", "--max-time", "5", "http://127.0.0.1:\(port)/api/v1/health"])
            #expect(!plain.output.contains(#""status":"ok""#))
        }
    }

    @Test("Health names the database in use: PostgreSQL when the tests run against it, else SQLite")
    func healthNamesTheDatabase() async throws {
        try await withTestApp { t in
            let health = try await t.send(.GET, "api/v1/health").decode(Health.self)
            let expected = ProcessInfo.processInfo.environment["LOTSE_TEST_POSTGRES_URL"] == nil ? "sqlite" : "postgres"
            #expect(health.database == expected)
        }
    }
}
