import Vapor

/// The one WebSocket a signed-in device keeps open: messages, typing, receipts, presence and call signals in both
/// directions (docs/realtime.md).
struct SocketFeature: Feature {
    var texts: Texts { Texts(english: [:], german: [:]) }

    func routes(_ routes: FeatureRoutes) throws {
        try routes.ready.register(collection: SocketController())
    }
}
