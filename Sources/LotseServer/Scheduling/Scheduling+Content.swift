import LotseAPI
import Vapor

// The wire types live in LotseAPI (Foundation only, shared with a future Swift SDK); here the scheduling feature's become HTTP
// content.
extension Availability: APIContent {}
extension SessionType: APIContent {}
extension FreeSlots: APIContent {}
extension Booking: APIContent {}
extension BookingSeries: APIContent {}
extension CalendarSettings: APIContent {}
extension CalendarFeed: APIContent {}
