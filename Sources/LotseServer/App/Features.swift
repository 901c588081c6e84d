import Fluent

/// Every feature of Lotse, lowest layer first (docs/architecture.md). Adding one is a line here; everything else
/// about it is in its folder.
enum Features {
    static let all: [any Feature] = [
        AuditFeature(),
        KeysFeature(),
        AccountsFeature(),
        NotificationsFeature(),
        MessagingFeature(),
        DirectoryFeature(),
        EngagementsFeature(),
        SchedulingFeature(),
        VideoFeature(),
        ProgramsFeature(),
        PrivacyFeature(),
        SocketFeature(),
    ]

    /// Every feature's sentences, and the server's own.
    static var texts: [Texts] { [.requests] + all.map(\.texts) }

    /// Every migration in the order it shipped, whichever feature declares it.
    static var migrations: [any Migration] {
        all.flatMap(\.migrations).sorted { $0.order < $1.order }.map(\.migration)
    }
}
