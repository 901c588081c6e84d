import Foundation
import LotseAPI
import NIOCore
import Testing
import Vapor
import VaporTesting

@testable import LotseServer

@Suite("Serving")
struct ServingTests {
    /// Runs a command and returns its standard output.
    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test("With a certificate and key the server speaks HTTPS itself, and sends HSTS")
    func servesHTTPS() async throws {
        let folder = NSTemporaryDirectory() + "lotse-tls-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let generated = try Self.run(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", folder + "/key.pem", "-out", folder + "/cert.pem",
            ])
        try #require(generated.status == 0)
        try await withTestApp(environment: [
            "LOTSE_TLS_CERT": folder + "/cert.pem", "LOTSE_TLS_KEY": folder + "/key.pem", "LOTSE_PORT": "0",
        ]) { t in
            try await t.app.server.start(address: .hostname("127.0.0.1", port: 0))
            let port = try #require(t.app.http.server.shared.localAddress?.port)
            let response = try Self.run(
                "/usr/bin/curl",
                [
                    "--silent", "--show-error", "--include", "--cacert", folder + "/cert.pem",
                    "https://127.0.0.1:\(port)/api/v1/health",
                ])
            #expect(response.status == 0)
            #expect(response.output.hasPrefix("HTTP/1.1 200"))
            #expect(response.output.lowercased().contains("strict-transport-security: max-age=31536000"))
            #expect(response.output.contains(#""status":"ok""#))
            let plain = try Self.run(
                "/usr/bin/curl", ["--silent", "--max-time", "5", "http://127.0.0.1:\(port)/api/v1/health"])
            #expect(!plain.output.contains(#""status":"ok""#))
            await t.app.server.shutdown()
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
