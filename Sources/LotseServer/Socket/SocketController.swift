import Fluent
import LotseAPI
import NIOConcurrencyHelpers
import NIOCore
import NIOWebSocket
import Vapor

/// The one authenticated WebSocket per device: `/api/v1/socket`. See docs/realtime.md.
struct SocketController: RouteCollection {
    let shared = SharedByLoop()

    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(HandshakeGuard()).get("socket") { [shared] req -> Response in
            let response = Response(status: .switchingProtocols)
            response.upgrader = BoundedWebSocketUpgrader(limits: req.application.lotse.socketLimits) {
                socket, channel, writer, reader in
                let services = shared.on(socket.eventLoop, of: req.application)
                Task {
                    await Self.serve(req, socket, channel: channel, writer: writer, reader: reader, services: services)
                }
            }
            return response
        }
    }

    /// What the sockets of one event loop share: the services, bound to one database handle on that loop, and the
    /// application's texts and logger. Kept per socket, the two services' database handles and the closures' copies
    /// of them were about 1.5 kB of each idle socket (#21, bench/sockets.sh).
    final class Shared: Sendable {
        let messaging: MessagingService
        let calls: CallsService
        let texts: Texts
        let logger: Logger
        /// Runs the handlers of this loop's sockets: a send's handler, once the message log answers it from the
        /// writer's thread, continues here, where the socket writes its `ack`, instead of on whichever loop the global
        /// executor picks (half the time the other one, and then one more hop back to write).
        let executor: LoopTaskExecutor

        init(on loop: any EventLoop, of app: Application) {
            executor = LoopTaskExecutor(loop: loop)
            let db = app.databases.database(
                logger: app.logger, on: loop, pageSizeLimit: app.fluent.pagination.pageSizeLimit)!
            messaging = app.make(on: db)
            calls = app.make(on: db)
            texts = app.lotse.texts
            logger = app.logger
        }
    }

    /// One ``Shared`` per event loop, made when the loop's first socket opens.
    final class SharedByLoop: Sendable {
        private let made = NIOLockedValueBox<[ObjectIdentifier: Shared]>([:])

        func on(_ loop: any EventLoop, of app: Application) -> Shared {
            made.withLockedValue { made in
                if let shared = made[ObjectIdentifier(loop)] { return shared }
                let shared = Shared(on: loop, of: app)
                made[ObjectIdentifier(loop)] = shared
                return shared
            }
        }
    }

    /// Only real WebSocket handshakes, and only from our own pages: browsers send cookies with cross-site
    /// handshakes too.
    struct HandshakeGuard: AsyncMiddleware {
        func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            let upgrade = request.headers.first(name: .upgrade)?.lowercased() ?? ""
            let connection = request.headers[.connection].joined(separator: ",").lowercased()
            guard upgrade == "websocket", connection.contains("upgrade") else {
                throw RequestError.invalid(field: "Upgrade", reason: "not a WebSocket handshake")
            }
            if let origin = request.headers.first(name: .origin), !request.isOwnOrigin(origin) {
                throw RequestError.csrfRejected
            }
            return try await next.respond(to: request)
        }
    }

    static func serve(
        _ req: Request, _ socket: WebSocket, channel: any Channel, writer: FrameWriter, reader: TextFrameReader,
        services: Shared
    ) async {
        guard let current = req.auth.get(CurrentUser.self) else {
            try? await socket.close(code: .policyViolation)
            return
        }
        let app = req.application
        let hub = app.lotse.events
        let userID = current.id
        guard
            let first = hub.connect(
                socket, writer: writer, user: userID, session: current.sessionID, limits: app.lotse.socketLimits)
        else {
            // Too many sockets for this account or this instance: "try again later" (1013), the client backs off.
            try? await socket.close(code: .unknown(1013))
            return
        }
        let language = current.language
        // Handlers first: frames that arrive while the greeting below is prepared must not be lost. Each message
        // counts as waiting until its handler is done; too many waiting and the server stops reading the socket.
        let flow = SocketFlow(channel: channel, limits: app.lotse.socketLimits, budget: app.lotse.socketBudget)
        let typing = TypingGate()
        let received: @Sendable (String) -> Void = { text in
            let bytes = text.utf8.count
            flow.arrived(bytes)
            Task(executorPreference: services.executor) {
                await handle(
                    text, from: userID, on: socket, writer: writer, services: services, typing: typing,
                    language: language)
                flow.handled(bytes)
            }
        }
        // Whole text frames come through the reader; fragmented messages, put together, through WebSocketKit.
        socket.eventLoop.execute {  // WebSocketKit keeps its callbacks on the socket's event loop
            socket.onText { _, text in received(text) }
            reader.onText(received)
        }
        socket.onClose.whenComplete { _ in
            flow.closed()
            let away = services.calls.sockets.close(socket)
            if !away.isEmpty {
                Task { try? await services.calls.disconnected(away) }
            }
            if hub.disconnect(socket, user: userID) {
                Task {
                    let contacts = (try? await services.messaging.contacts(of: userID)) ?? []
                    hub.send(.presence(user: userID, online: false), to: contacts)
                }
            }
        }
        let contacts = (try? await services.messaging.contacts(of: userID)) ?? []
        if first {
            hub.send(.presence(user: userID, online: true), to: contacts)
        }
        hub.send(.hello(online: hub.online(among: contacts)), on: writer)
    }

    static func handle(
        _ text: String, from userID: UUID, on socket: WebSocket, writer: FrameWriter, services: Shared,
        typing: TypingGate, language: Language
    ) async {
        let (service, calls, callSockets, texts) = (
            services.messaging, services.calls, services.calls.sockets, services.texts
        )
        let hub = service.events
        let event: ClientEvent
        do {
            // Sends, by far the most frequent frame, read by hand; the rest (and anything unusual) by the decoder.
            event = try ChatJSON.send(text) ?? JSONDecoder.api.decode(ClientEvent.self, from: Data(text.utf8))
        } catch {
            let message = texts.message("request.invalid", language, ["type", "not a known event"])
            hub.send(.error(id: nil, code: "request.invalid", message: message), on: writer)
            return
        }
        do {
            switch event {
            case .send(let conversation, let message):
                let (stored, _) = try await service.sendEncoded(message, to: conversation, by: userID)
                hub.send(frame: stored.ackFrame, on: writer)
            case .typing(let conversation):
                guard typing.allows(conversation) else { return }
                let members = try await service.conversation(conversation, for: userID).members.map(\.userId)
                hub.send(
                    .typing(conversation: conversation, user: userID), to: members.filter { $0 != userID })
            case .mark(let conversation, let delivered, let read):
                try await service.mark(
                    conversation, MarkConversation(readSeq: read, deliveredSeq: delivered), by: userID)
            case .join(let engagement, let peer):
                if try await !calls.join(engagement, peer: peer, by: userID) {  // join checked who asks
                    hub.send(.room(try await calls.room(engagement)), on: writer)
                }
                callSockets.add(.init(engagement: engagement, peer: peer), on: socket)
            case .admit(let engagement, let peer):
                try await calls.admit(engagement, peer: peer, by: userID)
            case .leave(let engagement, let peer):
                try await calls.leave(engagement, peer: peer, by: userID)
                callSockets.remove(.init(engagement: engagement, peer: peer), from: socket)
            case .signal(let signal):
                try await calls.relay(signal, by: userID)
            case .ping:
                hub.send(.pong, on: writer)
            }
        } catch {
            let id: UUID? =
                switch event {
                case .send(_, let message): message.id
                case .signal(let signal): signal.id
                case .join(_, let peer), .admit(_, let peer), .leave(_, let peer): peer
                case .typing, .mark, .ping: nil
                }
            let known = error as? any AppError
            if known == nil { services.logger.report(error: error) }
            let code = known?.code ?? "server.internal"
            let message = texts.message(code, language, known?.arguments ?? [])
            hub.send(.error(id: id, code: code, message: message), on: writer)
        }
    }
}
