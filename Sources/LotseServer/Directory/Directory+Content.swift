import LotseAPI
import Vapor

// The wire types live in LotseAPI (Foundation only, shared with a future Swift SDK); here the directory feature's become HTTP
// content.
extension DirectoryProfile: APIContent {}
extension DirectoryPage: APIContent {}
