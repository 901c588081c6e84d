import Foundation

/// A self-signed P-256 certificate for `localhost` and 127.0.0.1, made by openssl in a temporary folder.
struct SelfSignedCertificate {
    let certificatePath: String
    let keyPath: String

    static func make() async throws -> SelfSignedCertificate {
        let folder = NSTemporaryDirectory() + "lotse-cert-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let certificate = SelfSignedCertificate(certificatePath: folder + "/cert.pem", keyPath: folder + "/key.pem")
        let result = try await runCommand(
            "openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout", certificate.keyPath, "-out", certificate.certificatePath,
            ])
        guard result.status == 0 else { throw CertificateError.opensslFailed }
        return certificate
    }

    enum CertificateError: Error { case opensslFailed }
}
