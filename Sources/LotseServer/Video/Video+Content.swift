import LotseAPI
import Vapor

// The wire types live in LotseAPI (Foundation only, shared with a future Swift SDK); here the video feature's become HTTP
// content.
extension ICEConfiguration: APIContent {}
extension CallRoom: APIContent {}
extension TechCheck: APIContent {}
