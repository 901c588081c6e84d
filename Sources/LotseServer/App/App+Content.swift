import LotseAPI
import Vapor

// The wire types live in LotseAPI (Foundation only, shared with a future Swift SDK); here the server's become HTTP
// content.
extension Health: APIContent {}
