/// The keys' sentences in German and English: their error messages.
extension Texts {
    static let keys = Texts(
        english: [
            "messaging.keys_missing": "Please set up your encryption keys first.",
            "messaging.keys_exist": "This account already has encryption keys.",
            "messaging.recovery_unproven":
                "The new recovery key could not be confirmed by your keys. Please unlock your keys and try again.",
            "messaging.malformed": "The encrypted field „{0}“ is not in the expected format.",
            "messaging.member_not_found": "There is no account with encryption keys for this person.",
        ],
        german: [
            "messaging.keys_missing": "Bitte richten Sie zuerst Ihre Schlüssel für die Verschlüsselung ein.",
            "messaging.keys_exist": "Dieses Konto hat bereits Schlüssel für die Verschlüsselung.",
            "messaging.recovery_unproven":
                "Der neue Wiederherstellungsschlüssel ließ sich mit Ihren Schlüsseln nicht bestätigen. Bitte entsperren Sie Ihre Schlüssel und versuchen Sie es erneut.",
            "messaging.malformed": "Das verschlüsselte Feld „{0}“ hat nicht das erwartete Format.",
            "messaging.member_not_found": "Für diese Person gibt es kein Konto mit Schlüsseln für die Verschlüsselung.",
        ])
}
