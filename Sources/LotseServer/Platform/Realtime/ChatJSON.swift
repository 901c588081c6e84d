import Foundation
import LotseAPI
import NIOCore

/// The chat's two most frequent JSON texts, written and read by hand (#21: Foundation's coders were about a quarter of
/// a chat send's time on the event loop). Each is exact for what it takes and hands everything else to the API's
/// coders: ``message(_:)`` writes what `JSONEncoder.api` writes, ``send(_:)`` reads only frames it reads the way
/// `JSONDecoder.api` does and answers nil for every other text, which the caller then gives to that decoder.
enum ChatJSON {
    /// `message` as `JSONEncoder.api` writes it (keys sorted, UUIDs in upper case, the date in ISO 8601 to the
    /// second); nil if a text would need escaping or the date is outside the years 1970–9999.
    static func message(_ message: Message) -> String? {
        var json = ByteBuffer()
        return write(message, into: &json) ? String(buffer: json) : nil
    }

    /// ``message(_:)`` appended to `json`; false, and nothing appended, where that is nil.
    static func write(_ message: Message, into json: inout ByteBuffer) -> Bool {
        guard plain(message.ciphertext), plain(message.signature), let sentAt = iso8601(message.sentAt) else {
            return false
        }
        json.writeStaticString(#"{"attachments":["#)
        for (index, attachment) in message.attachments.enumerated() {
            json.writeStaticString(index == 0 ? "\"" : ",\"")
            json.writeUpperCaseText(attachment)
            json.writeStaticString("\"")
        }
        json.writeStaticString(#"],"ciphertext":""#)
        json.writeString(message.ciphertext)
        json.writeStaticString(#"","conversation":""#)
        json.writeUpperCaseText(message.conversation)
        json.writeStaticString(#"","epoch":"#)
        json.writeString(String(message.epoch))
        json.writeStaticString(#","id":""#)
        json.writeUpperCaseText(message.id)
        json.writeStaticString(#"","sender":""#)
        json.writeUpperCaseText(message.sender)
        json.writeStaticString(#"","sentAt":""#)
        json.writeString(sentAt)
        json.writeStaticString(#"","seq":"#)
        json.writeString(String(message.seq))
        json.writeStaticString(#","signature":""#)
        json.writeString(message.signature)
        json.writeStaticString(#""}"#)
        return true
    }

    /// Whether a text goes into JSON as it is: no quote, backslash or control character.
    private static func plain(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
    }

    /// `2026-12-07T10:43:14Z`: the whole seconds, as `JSONEncoder`'s `.iso8601` writes them.
    static func iso8601(_ date: Date) -> String? {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        guard seconds >= 0, seconds < 253_402_300_800 else { return nil }  // 1970-01-01 … 9999-12-31
        let total = Int(seconds)
        let (days, time) = total.quotientAndRemainder(dividingBy: 86_400)
        let (year, month, day) = CivilDate.date(days)
        return String(unsafeUninitializedCapacity: 20) { text in
            func put(_ value: Int, digits: Int, at start: Int) {
                var value = value
                for offset in (0..<digits).reversed() {
                    text[start + offset] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
            }
            put(year, digits: 4, at: 0)
            put(month, digits: 2, at: 5)
            put(day, digits: 2, at: 8)
            put(time / 3_600, digits: 2, at: 11)
            put(time / 60 % 60, digits: 2, at: 14)
            put(time % 60, digits: 2, at: 17)
            for (at, character) in [(4, "-"), (7, "-"), (10, "T"), (13, ":"), (16, ":"), (19, "Z")]
                as [(Int, Unicode.Scalar)]
            {
                text[at] = UInt8(ascii: character)
            }
            return 20
        }
    }

    /// A `send` frame — `{"type":"send","conversation":…,"message":{"id":…,"epoch":…,"ciphertext":…,"signature":…,
    /// "attachments":…}}` in any order of keys, with any JSON whitespace, `attachments` optional or null — or nil for
    /// anything else: other events, unknown or repeated keys, escapes in strings, numbers that are not plain digits,
    /// a UUID that does not read. Those go to `JSONDecoder.api`, which reads them or says what is wrong.
    static func send(_ text: String) -> ClientEvent? {
        var text = text
        return text.withUTF8 { bytes in
            var reader = Reader(bytes: bytes)
            guard let event = reader.sendFrame(), reader.atEnd() else { return nil }
            return event
        }
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var at = 0

        mutating func sendFrame() -> ClientEvent? {
            var type: String?
            var conversation: UUID?
            var message: SendMessage?
            let complete = object { reader, key in
                switch key {
                case "type": Self.fill(&type, reader.string()) && type == "send"
                case "conversation": Self.fill(&conversation, reader.uuid())
                case "message": Self.fill(&message, reader.sendMessage())
                default: false
                }
            }
            guard complete, type != nil, let conversation, let message else { return nil }
            return .send(conversation: conversation, message: message)
        }

        mutating func sendMessage() -> SendMessage? {
            var id: UUID?
            var epoch: UInt32?
            var ciphertext: String?
            var signature: String?
            var attachments: [UUID]??
            let complete = object { reader, key in
                switch key {
                case "id": Self.fill(&id, reader.uuid())
                case "epoch": Self.fill(&epoch, reader.unsigned())
                case "ciphertext": Self.fill(&ciphertext, reader.string())
                case "signature": Self.fill(&signature, reader.string())
                case "attachments":
                    Self.fill(&attachments, reader.literalNull() ? .some(nil) : reader.uuids().map { $0 })
                default: false
                }
            }
            guard complete, let id, let epoch, let ciphertext, let signature else { return nil }
            return SendMessage(
                id: id, epoch: epoch, ciphertext: ciphertext, signature: signature, attachments: attachments ?? nil)
        }

        /// Sets a key's value the first time the key comes; false for a repeated key or a value not read.
        private static func fill<T>(_ slot: inout T?, _ value: T?) -> Bool {
            guard slot == nil, let value else { return false }
            slot = value
            return true
        }

        /// `{ "key": value, … }`, each value read by `value` (false: not something this reader takes).
        mutating func object(_ value: (inout Reader, String) -> Bool) -> Bool {
            skipSpace()
            guard take(UInt8(ascii: "{")) else { return false }
            skipSpace()
            if take(UInt8(ascii: "}")) { return true }
            while true {
                skipSpace()
                guard let key = string() else { return false }
                skipSpace()
                guard take(UInt8(ascii: ":")) else { return false }
                skipSpace()
                guard value(&self, key) else { return false }
                skipSpace()
                if take(UInt8(ascii: "}")) { return true }
                guard take(UInt8(ascii: ",")) else { return false }
            }
        }

        /// A string without escapes or control characters.
        mutating func string() -> String? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = at
            while at < bytes.count {
                let byte = bytes[at]
                if byte == UInt8(ascii: "\"") {
                    defer { at += 1 }
                    return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self)
                }
                guard byte >= 0x20, byte != UInt8(ascii: "\\") else { return nil }
                at += 1
            }
            return nil
        }

        /// A string of a UUID: its 36 characters between quotes, nothing escaped.
        mutating func uuid() -> UUID? {
            guard at + 38 <= bytes.count, bytes[at] == UInt8(ascii: "\""), bytes[at + 37] == UInt8(ascii: "\""),
                let id = UUID(utf8: UnsafeBufferPointer(rebasing: bytes[at + 1..<at + 37]))
            else { return nil }
            at += 38
            return id
        }

        /// `[ "uuid", … ]`
        mutating func uuids() -> [UUID]? {
            guard take(UInt8(ascii: "[")) else { return nil }
            var list: [UUID] = []
            skipSpace()
            if take(UInt8(ascii: "]")) { return list }
            while true {
                skipSpace()
                guard let id = uuid() else { return nil }
                list.append(id)
                skipSpace()
                if take(UInt8(ascii: "]")) { return list }
                guard take(UInt8(ascii: ",")) else { return nil }
            }
        }

        /// Plain digits without a leading zero (or `0` itself), up to `UInt32.max`.
        mutating func unsigned() -> UInt32? {
            let start = at
            var value: UInt64 = 0
            while at < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[at]), at - start < 10 {
                value = value * 10 + UInt64(bytes[at] - UInt8(ascii: "0"))
                at += 1
            }
            guard at > start, at - start == 1 || bytes[start] != UInt8(ascii: "0"), value <= UInt32.max,
                at == bytes.count || !Self.continuesNumber(bytes[at])
            else { return nil }
            return UInt32(value)
        }

        /// Bytes after digits that would make the number something else (a fraction, an exponent, more digits).
        static func continuesNumber(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
        }

        mutating func literalNull() -> Bool {
            guard bytes.count - at >= 4, bytes[at] == UInt8(ascii: "n"), bytes[at + 1] == UInt8(ascii: "u"),
                bytes[at + 2] == UInt8(ascii: "l"), bytes[at + 3] == UInt8(ascii: "l")
            else { return false }
            at += 4
            return true
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard at < bytes.count, bytes[at] == byte else { return false }
            at += 1
            return true
        }

        mutating func skipSpace() {
            while at < bytes.count,
                bytes[at] == 0x20 || bytes[at] == 0x0A || bytes[at] == 0x0D || bytes[at] == 0x09
            {
                at += 1
            }
        }

        /// Only whitespace is left.
        mutating func atEnd() -> Bool {
            skipSpace()
            return at == bytes.count
        }
    }
}
