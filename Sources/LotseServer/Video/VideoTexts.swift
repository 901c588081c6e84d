/// The video feature's sentences in German and English: its error messages.
extension Texts {
    static let video = Texts(
        english: [
            "video.engagement_ended": "This engagement has ended, and with it its video calls.",
            "video.room_full": "This call is full: at most {0} people or devices can be in it.",
            "video.peer_not_found": "This device is not in the call (any more). Please join again.",
            "video.not_admitted": "The coach has not let this person into the call yet.",
            "video.coach_only": "Only the coach lets people into the call or sends them out.",
            "video.no_tech_check": "You have not done the tech check yet.",
        ],
        german: [
            "video.engagement_ended": "Diese Begleitung ist beendet und damit auch ihre Videositzungen.",
            "video.room_full": "Diese Sitzung ist voll: Es können höchstens {0} Personen oder Geräte dabei sein.",
            "video.peer_not_found": "Dieses Gerät ist nicht (mehr) in der Sitzung. Bitte treten Sie erneut bei.",
            "video.not_admitted": "Der Coach hat diese Person noch nicht in die Sitzung gelassen.",
            "video.coach_only": "Nur der Coach lässt Personen in die Sitzung oder schickt sie hinaus.",
            "video.no_tech_check": "Sie haben den Technik-Check noch nicht gemacht.",
        ])
}
