/// The audit log's one error, in German and English.
extension Texts {
    static let audit = Texts(
        english: [
            "audit.busy": "Too much is happening at once to record this safely. Please try again in a moment."
        ],
        german: [
            "audit.busy":
                "Gerade geschieht zu viel gleichzeitig, um das sicher festzuhalten. Bitte versuchen Sie es gleich noch einmal."
        ])
}
