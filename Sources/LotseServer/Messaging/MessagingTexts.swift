/// The messaging feature's sentences in German and English: its error messages and the mail about something new.
extension Texts {
    static let messaging = Texts(
        english: [
            "messaging.conversation_not_found": "There is no such conversation, or you are not a member.",
            "messaging.too_many_members": "A conversation can have at most 50 members.",
            "messaging.keys_do_not_match_members":
                "The conversation keys must be sealed for exactly the current members.",
            "messaging.stale_epoch": "The conversation's key has changed (now {0}). Please reload it and send again.",
            "messaging.epoch_taken": "Someone else changed the conversation key at the same time. Please reload it.",
            "messaging.creator_only": "Only the person who started the conversation can do this.",
            "messaging.id_conflict": "This ID is already used for something else.",
            "messaging.attachment_not_found": "This attachment does not exist or belongs elsewhere.",
            "messaging.attachment_too_large": "Attachments can be at most {0} MB.",
            "messaging.draft_not_found": "There is no saved draft.",
            "mail.new_message.subject": "Something new is waiting for you in Lotse",
            "mail.new_message.body":
                "Hello {0},\n\nthere is something new for you in a conversation on Lotse. For your privacy, this mail does not say what or from whom. To read it, sign in:\n\n{1}\n\nLotse",
        ],
        german: [
            "messaging.conversation_not_found": "Dieses Gespräch gibt es nicht, oder Sie gehören nicht dazu.",
            "messaging.too_many_members": "Ein Gespräch kann höchstens 50 Mitglieder haben.",
            "messaging.keys_do_not_match_members":
                "Die Gesprächsschlüssel müssen für genau die aktuellen Mitglieder versiegelt sein.",
            "messaging.stale_epoch":
                "Der Schlüssel des Gesprächs hat sich geändert (jetzt {0}). Bitte laden Sie es neu und senden Sie erneut.",
            "messaging.epoch_taken":
                "Jemand anderes hat den Gesprächsschlüssel gleichzeitig geändert. Bitte laden Sie das Gespräch neu.",
            "messaging.creator_only": "Das kann nur die Person, die das Gespräch begonnen hat.",
            "messaging.id_conflict": "Diese ID wird schon für etwas anderes verwendet.",
            "messaging.attachment_not_found": "Diesen Anhang gibt es nicht, oder er gehört woandershin.",
            "messaging.attachment_too_large": "Anhänge dürfen höchstens {0} MB groß sein.",
            "messaging.draft_not_found": "Es ist kein Entwurf gespeichert.",
            "mail.new_message.subject": "In Lotse wartet etwas Neues auf Sie",
            "mail.new_message.body":
                "Hallo {0},\n\nin einem Gespräch auf Lotse gibt es etwas Neues für Sie. Zum Schutz Ihrer Privatsphäre steht in dieser Mail nicht, was oder von wem. Zum Lesen melden Sie sich an:\n\n{1}\n\nLotse",
        ])
}
