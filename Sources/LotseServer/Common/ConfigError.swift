/// A configuration value that makes no sense; the message names the variable.
public struct ConfigError: Error, CustomStringConvertible, Sendable {
    /// The sentence shown at start-up.
    public let description: String

    init(_ description: String) { self.description = description }
}
