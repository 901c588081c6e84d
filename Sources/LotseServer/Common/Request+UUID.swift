import Vapor

extension Request {
    /// A UUID path parameter, or `request.invalid` naming it.
    func uuid(_ name: String) throws -> UUID {
        guard let text = parameters.get(name), let id = UUID(uuidString: text) else {
            throw RequestError.invalid(field: name, reason: "not a UUID")
        }
        return id
    }
}
