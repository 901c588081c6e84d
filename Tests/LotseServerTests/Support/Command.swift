import Foundation
import Subprocess

/// How a command ended and what it printed.
struct CommandResult {
    /// The exit code; 128 + the signal's number when a signal ended it, as a shell reports it.
    var status: Int32
    var output: String
    var errors: String
}

/// Runs a command found on `PATH` to its end, with `input` on its standard input.
///
/// Through swift-subprocess rather than Foundation's `Process`: on Linux, `Process.run()` could crash the whole test
/// process while it started a child (it read past its own listing of /proc/self/fd; swift-corelibs-foundation#5472).
func runCommand(
    _ name: String, _ arguments: [String], input: Data = Data(), environment: [String: String]? = nil
) async throws -> CommandResult {
    let variables = environment.map {
        Dictionary(uniqueKeysWithValues: $0.map { (Environment.Key(rawValue: $0.key)!, $0.value) })
    }
    let result = try await Subprocess.run(
        .name(name),
        arguments: Arguments(arguments),
        environment: variables.map { .custom($0) } ?? .inherit,
        input: .data(input),
        output: .string(limit: 16 << 20),
        error: .string(limit: 1 << 20))
    let status: Int32 =
        switch result.terminationStatus {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        }
    return CommandResult(
        status: status, output: result.standardOutput, errors: result.standardError)
}
