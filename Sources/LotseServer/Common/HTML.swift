/// A piece of a server-rendered page. Every text and every attribute value is escaped when the page is rendered,
/// and element and attribute names can only be written in code (`StaticString`): there is no way to put unescaped
/// text into a page, so no page can forget to escape.
///
/// Why not Plot, which the pages used first: Plot's `Attribute.render()` writes a value between double quotes as it
/// is, so `?q="><meta http-equiv=refresh …>` became markup, and its text escaping passes through anything that looks
/// like an entity (`&lt;` typed by a person showed as `<`). See docs/security.md.
struct HTMLNode: Sendable {
    fileprivate enum Kind: Sendable {
        case element(name: StaticString, attributes: [(StaticString, String?)], children: [HTMLNode])
        case text(String)
        case group([HTMLNode])
    }

    fileprivate let kind: Kind

    /// An element; an attribute whose value is nil is left out, one whose value is "" is written as a bare name
    /// (`selected`, `hidden`).
    static func element(
        _ name: StaticString, _ attributes: KeyValuePairs<StaticString, String?> = [:], _ children: HTMLNode...
    ) -> HTMLNode {
        HTMLNode(kind: .element(name: name, attributes: attributes.map { ($0.key, $0.value) }, children: children))
    }

    /// An element with children computed elsewhere (lists).
    static func element(
        _ name: StaticString, _ attributes: KeyValuePairs<StaticString, String?> = [:], children: [HTMLNode]
    ) -> HTMLNode {
        HTMLNode(kind: .element(name: name, attributes: attributes.map { ($0.key, $0.value) }, children: children))
    }

    /// Text, escaped.
    static func text(_ text: String) -> HTMLNode { HTMLNode(kind: .text(text)) }

    /// Several nodes side by side.
    static func group(_ nodes: [HTMLNode]) -> HTMLNode { HTMLNode(kind: .group(nodes)) }

    static let empty = HTMLNode(kind: .group([]))

    /// The page: `<!doctype html>` and the `html` element.
    static func document(_ root: HTMLNode) -> String {
        var output = "<!doctype html>"
        root.render(into: &output)
        return output
    }

    /// Elements that have no end tag and no children.
    private static let voidElements: Set<String> = ["meta", "link", "input", "img", "br", "hr", "source"]

    private func render(into output: inout String) {
        switch kind {
        case .text(let text):
            output += Self.escape(text, quotes: false)
        case .group(let nodes):
            for node in nodes { node.render(into: &output) }
        case .element(let name, let attributes, let children):
            output += "<\(name)"
            for (attribute, value) in attributes {
                guard let value else { continue }
                output += value.isEmpty ? " \(attribute)" : " \(attribute)=\"\(Self.escape(value, quotes: true))\""
            }
            output += ">"
            guard !Self.voidElements.contains("\(name)") else { return }
            for child in children { child.render(into: &output) }
            output += "</\(name)>"
        }
    }

    /// `&`, `<` and `>` always, both quotes in attribute values; NUL and the other C0/C1 controls but tab and line
    /// breaks become U+FFFD (what a browser's parser would make of NUL, and nothing a page means to show).
    static func escape(_ text: String, quotes: Bool) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"" where quotes: escaped += "&quot;"
            case "'" where quotes: escaped += "&#39;"
            case "\t", "\n", "\r": escaped.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value): escaped += "\u{FFFD}"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
