/// The notification mail in German and English: it says that something waits, never what or from whom.
extension Texts {
    static let notifications = Texts(
        english: [
            "mail.waiting.subject": "Something is waiting for you in Lotse",
            "mail.waiting.body":
                "Hello {0},\n\na next step in your coaching on Lotse is waiting for you. For your privacy, this mail does not say what or from whom. To see it, sign in:\n\n{1}\n\nUntil you have looked, no further mail of this kind follows. Which mails you get, you choose in your settings:\n\n{2}\n\nLotse",
        ],
        german: [
            "mail.waiting.subject": "In Lotse wartet etwas auf Sie",
            "mail.waiting.body":
                "Hallo {0},\n\nin Ihrem Coaching auf Lotse wartet ein nächster Schritt auf Sie. Zum Schutz Ihrer Privatsphäre steht in dieser Mail nicht, was oder von wem. Zum Ansehen melden Sie sich an:\n\n{1}\n\nBis Sie nachgesehen haben, folgt keine weitere Mail dieser Art. Welche Mails Sie bekommen, wählen Sie in Ihren Einstellungen:\n\n{2}\n\nLotse",
        ])
}
