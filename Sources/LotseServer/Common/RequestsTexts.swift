/// The server's sentences in German and English: malformed requests, sign-in required, rate limits, server errors: what belongs to no feature.
extension Texts {
    static let requests = Texts(
        english: [
            "request.invalid": "The field “{0}” is {1}.",
            "request.not_found": "There is nothing at this address.",
            "request.method_not_allowed": "This address does not accept that method.",
            "request.rate_limited": "Too many requests. Please wait {0} seconds and try again.",
            "request.too_large": "The request is too large.",
            "request.idempotency_key_invalid": "The Idempotency-Key header must be a UUID.",
            "server.internal": "Something went wrong on our side. Please try again in a moment.",
            "auth.required": "Please sign in first.",
            "auth.forbidden": "Your account may not do this.",
            "auth.csrf_rejected": "This request did not come from the Lotse app. Please reload the page and try again.",
        ],
        german: [
            "request.invalid": "Das Feld „{0}“ ist ungültig ({1}).",
            "request.not_found": "Unter dieser Adresse gibt es nichts.",
            "request.method_not_allowed": "Diese Adresse nimmt diese Methode nicht an.",
            "request.rate_limited": "Zu viele Anfragen. Bitte warten Sie {0} Sekunden und versuchen Sie es erneut.",
            "request.too_large": "Die Anfrage ist zu groß.",
            "request.idempotency_key_invalid": "Der Header Idempotency-Key muss eine UUID sein.",
            "server.internal": "Bei uns ist etwas schiefgegangen. Bitte versuchen Sie es gleich noch einmal.",
            "auth.required": "Bitte melden Sie sich zuerst an.",
            "auth.forbidden": "Ihr Konto darf das nicht.",
            "auth.csrf_rejected":
                "Diese Anfrage kam nicht aus der Lotse-App. Bitte laden Sie die Seite neu und versuchen Sie es erneut.",
        ])
}
