import Foundation

extension Validate {
    /// A message's (or draft's) sealed bytes and its 64-byte signature; more than 256 KiB is `request.too_large`.
    static func sealedMessage(_ ciphertext: String, signature: String) throws -> (Data, Data) {
        let sealed = try base64(ciphertext, field: "ciphertext", minimum: 28)
        let signed = try base64(signature, field: "signature", minimum: 64, maximum: 64)
        guard sealed.count <= MessagingService.maximumCiphertext else { throw RequestError.tooLarge }
        return (sealed, signed)
    }
}
