import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An IPv4 or IPv6 address range in CIDR notation (`10.0.0.0/8`, `::1`), for trusting reverse proxies.
public struct IPRange: Sendable, Equatable {
    let network: [UInt8]
    let prefixLength: Int

    init(parsing text: String, variable: String) throws {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard let address = parts.first.flatMap(IPRange.bytes(of:)) else {
            throw ConfigError("\(variable): \"\(text)\" is not an IP address or CIDR range")
        }
        let length = parts.count == 2 ? Int(parts[1]) : address.count * 8
        guard let length, (0...(address.count * 8)).contains(length) else {
            throw ConfigError("\(variable): \"\(text)\" has an impossible prefix length")
        }
        self.network = address
        self.prefixLength = length
    }

    /// Whether an address (as text) lies in the range.
    func contains(_ addressText: String) -> Bool {
        guard let address = IPRange.bytes(of: addressText), address.count == network.count else { return false }
        var remaining = prefixLength
        for index in network.indices where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if address[index] & mask != network[index] & mask { return false }
            remaining -= bits
        }
        return true
    }

    /// The bytes of an IPv4 or IPv6 address, or nil when the text is neither.
    static func bytes(of text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }
}
