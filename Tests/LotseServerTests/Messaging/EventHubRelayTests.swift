import Foundation
import LotseAPI
import NIOConcurrencyHelpers
import Testing

@testable import LotseServer

@Suite("The event hub's relay")
struct EventHubRelayTests {
    @Test(
        "Every send reaches the relay once, and the 50,000th costs what the first did (the stored function was wrapped once more by every read and overflowed the stack near 20,000 sends)"
    )
    func relayStaysFlat() {
        let hub = EventHub()
        let relayed = NIOLockedValueBox(0)
        hub.relay { _, users in relayed.withLockedValue { $0 += users.count } }
        let user = UUID()
        for _ in 0..<50_000 { hub.send(.pong, to: [user]) }
        #expect(relayed.withLockedValue { $0 } == 50_000)
    }
}
