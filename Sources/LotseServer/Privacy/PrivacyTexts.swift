import Vapor

/// The privacy feature's mails and errors, in German and English.
extension Texts {
    static let privacy = Texts(
        english: [
            "privacy.consent_not_found": "You have given no such consent.",
            "mail.inquiry_expiring.subject": "Your inquiry to {0} will be deleted on {1}",
            "mail.inquiry_expiring.body":
                "Hello,\n\nyour inquiry to {0} has had no answer and no activity for over three weeks. So that nothing you wrote is kept longer than needed, Lotse deletes inquiries 30 days after the last activity: this one, with its conversation and attachments, on {1}.\n\nIf you want to keep it, write a message in it before then; that starts the 30 days again:\n\n{2}\n\nLotse",
            "mail.inquiry_expiring_coach.subject": "An inquiry from {0} will be deleted on {1}",
            "mail.inquiry_expiring_coach.body":
                "Hello,\n\nthe inquiry from {0} has had no answer and no activity for over three weeks. Lotse deletes inquiries 30 days after the last activity: this one, with its conversation and attachments, on {1}.\n\nTo answer it before then, open it here:\n\n{2}\n\nLotse",
        ],
        german: [
            "privacy.consent_not_found": "Eine solche Einwilligung haben Sie nicht gegeben.",
            "mail.inquiry_expiring.subject": "Ihre Anfrage an {0} wird am {1} gelöscht",
            "mail.inquiry_expiring.body":
                "Hallo,\n\nauf Ihre Anfrage an {0} gab es seit über drei Wochen keine Antwort und keine Aktivität. Damit nichts, was Sie geschrieben haben, länger als nötig aufbewahrt wird, löscht Lotse Anfragen 30 Tage nach der letzten Aktivität: diese, mit ihrem Gespräch und den Anhängen, am {1}.\n\nWenn Sie die Anfrage behalten möchten, schreiben Sie vorher eine Nachricht darin; dann beginnen die 30 Tage neu:\n\n{2}\n\nLotse",
            "mail.inquiry_expiring_coach.subject": "Eine Anfrage von {0} wird am {1} gelöscht",
            "mail.inquiry_expiring_coach.body":
                "Hallo,\n\nauf die Anfrage von {0} gab es seit über drei Wochen keine Antwort und keine Aktivität. Lotse löscht Anfragen 30 Tage nach der letzten Aktivität: diese, mit ihrem Gespräch und den Anhängen, am {1}.\n\nUm sie vorher zu beantworten, öffnen Sie sie hier:\n\n{2}\n\nLotse",
        ])
}

/// The privacy feature's errors.
enum PrivacyError: AppError {
    /// No consent of the account's has this ID.
    case consentNotFound

    var status: HTTPStatus { .notFound }
    var code: String { "privacy.consent_not_found" }
}
