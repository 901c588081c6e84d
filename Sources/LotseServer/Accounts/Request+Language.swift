import LotseAPI
import Vapor

extension Request {
    /// The language to answer in: the signed-in account's choice, else the best match of `Accept-Language`, else English.
    var language: Language {
        if let user = auth.get(CurrentUser.self) { return user.language }
        return Language.preferred(by: headers.first(name: .acceptLanguage))
    }
}
