import Crypto
import Foundation
import Testing

@testable import LotseCrypto

/// The primitives of the envelope against Project Wycheproof's vectors, read from the swift-crypto checkout the build
/// already fetched. Tests/js/wycheproof.test.js runs the same files through WebCrypto.
@Suite struct WycheproofTests {
    static let directory = Node.repository.appending(path: ".build/checkouts/swift-crypto/Tests/Test Vectors")

    struct File<Group: Decodable>: Decodable {
        var numberOfTests: Int
        var testGroups: [Group]
    }

    struct AESGroup: Decodable {
        var keySize: Int
        var ivSize: Int
        var tagSize: Int
        var tests: [AESCase]
    }

    struct AESCase: Decodable {
        var tcId: Int
        var key, iv, aad, msg, ct, tag, result: String
    }

    @Test("AES-256-GCM with 96-bit nonces opens every valid vector and refuses every invalid one")
    func aesGCM() throws {
        let file: File<AESGroup> = try Self.load("aes_gcm_test.json")
        var checked = 0
        for group in file.testGroups where group.keySize == 256 && group.ivSize == 96 && group.tagSize == 128 {
            for vector in group.tests {
                let combined = try Data(hex: vector.iv + vector.ct + vector.tag)
                var binding = Binding("")
                binding = binding.appending(try Data(hex: vector.aad))
                let opened = try? AES.GCM.openCombined(
                    combined, using: SymmetricKey(data: Data(hex: vector.key)), binding: binding)
                if vector.result == "valid" {
                    #expect(opened == (try Data(hex: vector.msg)), "tcId \(vector.tcId)")
                } else if vector.result == "invalid" {
                    #expect(opened == nil, "tcId \(vector.tcId)")
                }
                checked += 1
            }
        }
        #expect(checked > 30)
    }

    struct ECDSAGroup: Decodable {
        struct Key: Decodable { var uncompressed: String }
        var publicKey: Key
        var tests: [SignatureCase]
    }

    struct SignatureCase: Decodable {
        var tcId: Int
        var msg, sig, result: String
    }

    @Test("ECDSA P-256 SHA-256 (r ‖ s) accepts every valid signature and no invalid one")
    func ecdsa() throws {
        let file: File<ECDSAGroup> = try Self.load("ecdsa_secp256r1_sha256_p1363_test.json")
        var checked = 0
        for group in file.testGroups {
            let key = try P256.Signing.PublicKey(x963Representation: Data(hex: group.publicKey.uncompressed))
            for vector in group.tests where vector.result != "acceptable" {
                let signature = try Data(hex: vector.sig).base64EncodedString()
                let accepted = (try? verify(signature: signature, of: Data(hex: vector.msg), by: key)) != nil
                #expect(accepted == (vector.result == "valid"), "tcId \(vector.tcId)")
                checked += 1
            }
        }
        #expect(checked == file.numberOfTests)
    }

    struct ECDHGroup: Decodable {
        var tests: [ECDHCase]
    }

    struct ECDHCase: Decodable {
        var tcId: Int
        var `public`, `private`, shared, result: String
    }

    @Test("P-256 ECDH on raw points agrees on every valid vector and refuses every invalid point")
    func ecdh() throws {
        let file: File<ECDHGroup> = try Self.load("ecdh_secp256r1_ecpoint_test.json")
        var checked = 0
        for vector in file.testGroups.flatMap(\.tests) where vector.result != "acceptable" {
            var scalar = try Data(hex: vector.private)
            scalar = Data(repeating: 0, count: max(0, 32 - scalar.count)) + scalar.suffix(32)
            let privateKey = try P256.KeyAgreement.PrivateKey(rawRepresentation: scalar)
            let point = try Data(hex: vector.public)
            let shared = (try? P256.KeyAgreement.PublicKey(x963Representation: point))
                .flatMap { try? privateKey.sharedSecretFromKeyAgreement(with: $0) }
                .map { $0.withUnsafeBytes { Data($0) } }
            if vector.result == "valid" {
                #expect(shared == (try Data(hex: vector.shared)), "tcId \(vector.tcId)")
            } else {
                #expect(shared == nil, "tcId \(vector.tcId)")
            }
            checked += 1
        }
        #expect(checked > 200)
    }

    static func load<Group>(_ name: String) throws -> File<Group> {
        try JSONDecoder().decode(File<Group>.self, from: Data(contentsOf: directory.appending(path: name)))
    }
}

extension Data {
    init(hex: String) throws {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { throw EnvelopeError.malformed("hex") }
            bytes.append(byte)
            index = next
        }
        self.init(bytes)
    }
}
