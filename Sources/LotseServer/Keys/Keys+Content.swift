import LotseAPI
import Vapor

// The wire types live in LotseAPI (Foundation only, shared with a future Swift SDK); here the keys feature's become HTTP
// content.
extension OwnKeys: APIContent {}
extension PublicKeys: APIContent {}
extension RecoveryKeys: APIContent {}
