import Foundation
import NIOCore

extension UUID {
    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// `uuidString`, written without `snprintf`.
    var upperCaseText: String {
        String(unsafeUninitializedCapacity: 36) { text in
            writeUpperCaseText(into: text)
            return 36
        }
    }

    /// ``upperCaseText`` into the first 36 bytes of `text`.
    func writeUpperCaseText(into text: UnsafeMutableBufferPointer<UInt8>) {
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
    }

    /// `UUID(uuidString:)` without `sscanf`, through which Foundation parses: exactly 36 characters, hex digits of
    /// either case with dashes after the 8th, 12th, 16th and 20th. Nil for anything else; whatever it reads,
    /// Foundation reads as the same ID. (Foundation's `sscanf` also takes some damaged texts, a space or a sign where
    /// a digit belongs: callers hand what this refuses to Foundation, so they read what they read before.)
    init?(text: String) {
        var text = text
        guard let id = text.withUTF8({ UUID(utf8: $0) }) else { return nil }
        self = id
    }

    /// ``init(text:)`` from UTF-8 bytes.
    init?(utf8 text: UnsafeBufferPointer<UInt8>) {
        guard text.count == 36 else { return nil }
        var id: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let read = withUnsafeMutableBytes(of: &id) { bytes -> Bool in
            var at = 0
            for index in 0..<16 {
                if index == 4 || index == 6 || index == 8 || index == 10 {
                    guard text[at] == UInt8(ascii: "-") else { return false }
                    at += 1
                }
                guard let high = Self.nibble(text[at]), let low = Self.nibble(text[at + 1]) else { return false }
                bytes[index] = high << 4 | low
                at += 2
            }
            return true
        }
        guard read else { return nil }
        self.init(uuid: id)
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension ByteBuffer {
    /// Appends the ID's ``Foundation/UUID/upperCaseText``.
    mutating func writeUpperCaseText(_ id: UUID) {
        writeWithUnsafeMutableBytes(minimumWritableBytes: 36) { bytes in
            id.writeUpperCaseText(into: bytes.bindMemory(to: UInt8.self))
            return 36
        }
    }
}
