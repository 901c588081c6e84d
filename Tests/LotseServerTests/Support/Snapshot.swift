import Foundation
import Testing

/// Compares what people receive with the file `Tests/Snapshots/<name>`. A difference fails the test and shows both;
/// with `LOTSE_UPDATE_SNAPSHOTS=1` the file is written instead, and `git diff` shows what changed: review it as you
/// would code. A missing file is written and fails once, so a new snapshot is always looked at.
func expectSnapshot(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let path = repositoryRoot + "/Tests/Snapshots/" + name
    let update = ProcessInfo.processInfo.environment["LOTSE_UPDATE_SNAPSHOTS"] == "1"
    guard !update, let stored = try? String(contentsOfFile: path, encoding: .utf8) else {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        if !update {
            Issue.record("New snapshot \(name) written; look at it and commit it", sourceLocation: sourceLocation)
        }
        return
    }
    #expect(text == stored, "\(name) changed (LOTSE_UPDATE_SNAPSHOTS=1 rewrites it)", sourceLocation: sourceLocation)
}
