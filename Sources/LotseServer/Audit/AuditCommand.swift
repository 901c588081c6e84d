import Fluent
import Vapor

/// `lotse audit verify`: recomputes the audit log's chain and checks its signed checkpoints; exits 1 and names
/// every place where the log is not what was written (docs/privacy.md, "Audit log").
struct AuditCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "verify")
        var action: String
    }

    var help: String { "Checks the audit log: lotse audit verify" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.action == "verify" else {
            throw ConfigError("lotse audit: unknown action \"\(signature.action)\"; the one action is verify")
        }
        let audit: AuditLog = context.application.make(on: context.application.db)
        let result = try await audit.verify()
        let summary = "\(result.entries) entries, \(result.checkpoints) signed checkpoints"
        guard result.problems.isEmpty else {
            for problem in result.problems { context.console.error(problem) }
            throw AuditVerificationFailed(summary: summary, problems: result.problems.count)
        }
        context.console.print("The audit log is intact: \(summary).")
    }
}

/// What `lotse audit verify` ends with when the log was tampered with (the process exits 1).
struct AuditVerificationFailed: Error, CustomStringConvertible {
    let summary: String
    let problems: Int

    var description: String { "The audit log was tampered with: \(problems) problems in \(summary)." }
}
