import Foundation

extension UUID {
    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// `uuidString`, written without `snprintf`.
    var upperCaseText: String {
        String(unsafeUninitializedCapacity: 36) { text in
            withUnsafeBytes(of: uuid) { bytes in
                var at = 0
                for (index, byte) in bytes.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        text[at] = UInt8(ascii: "-")
                        at += 1
                    }
                    text[at] = Self.hexDigits[Int(byte >> 4)]
                    text[at + 1] = Self.hexDigits[Int(byte & 0x0f)]
                    at += 2
                }
            }
            return 36
        }
    }
}
