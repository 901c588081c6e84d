import Foundation
import LotseAPI
import Testing

@Test("An API error encodes as {\"error\":{\"code\",\"message\"}}")
func apiErrorShape() throws {
    let data = try JSONEncoder().encode(APIError(code: "accounts.invalid_credentials", message: "No."))
    let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: [String: String]])
    #expect(json["error"]?["code"] == "accounts.invalid_credentials")
    #expect(json["error"]?["message"] == "No.")
}
