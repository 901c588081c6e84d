import Fluent
import LotseAPI
import NIOCore
import NIOWebSocket
import Vapor

/// The one authenticated WebSocket per device: `/api/v1/socket`. See docs/realtime.md.
struct SocketController: RouteCollection {
    /// How often an open socket checks that its session still exists (signed out or revoked devices are cut off).
    static let sessionCheckInterval: Duration = .seconds(30)

    func boot(routes: any RoutesBuilder) throws {
        routes.webSocket(
            "socket", maxFrameSize: WebSocketMaxFrameSize(integerLiteral: 512 * 1024),
            shouldUpgrade: { req in
                // Browsers send cookies with cross-site WebSocket handshakes; only our own pages may open one.
                if let origin = req.headers.first(name: .origin), !req.isOwnOrigin(origin) {
                    throw RequestError.csrfRejected
                }
                return [:]
            },
            onUpgrade: { req, socket in await Self.serve(req, socket) })
    }

    static func serve(_ req: Request, _ socket: WebSocket) async {
        guard let current = req.auth.get(CurrentUser.self), let userID = current.user.id,
            let sessionID = current.session.id
        else {
            try? await socket.close(code: .policyViolation)
            return
        }
        let app = req.application
        let hub = app.lotse.events
        let service = MessagingService(
            db: app.db, now: app.lotse.now, events: hub, mailer: app.lotse.mailer,
            attachmentLimit: app.lotse.config.attachmentLimit)
        let language = current.language
        let logger = req.logger
        let contacts = (try? await service.contacts(of: userID)) ?? []
        if hub.connect(socket, user: userID) {
            hub.send(.presence(user: userID, online: true), to: contacts)
        }
        hub.send(.hello(online: hub.online(among: contacts)), on: socket)

        let watchdog = Task {
            while !Task.isCancelled {
                try await Task.sleep(for: sessionCheckInterval)
                let alive = try await AuthSessionRecord.query(on: app.db).filter(\.$id == sessionID)
                    .filter(\.$expiresAt > app.lotse.now()).count()
                if alive == 0 {
                    try await socket.close(code: .policyViolation)
                    return
                }
            }
        }
        socket.onText { socket, text in
            await handle(text, from: userID, on: socket, service: service, language: language, logger: logger)
        }
        socket.onClose.whenComplete { _ in
            watchdog.cancel()
            if hub.disconnect(socket, user: userID) {
                Task {
                    let contacts = (try? await service.contacts(of: userID)) ?? []
                    hub.send(.presence(user: userID, online: false), to: contacts)
                }
            }
        }
    }

    static func handle(
        _ text: String, from userID: UUID, on socket: WebSocket, service: MessagingService, language: Language,
        logger: Logger
    ) async {
        let hub = service.events
        let event: ClientEvent
        do {
            event = try JSONDecoder.api.decode(ClientEvent.self, from: Data(text.utf8))
        } catch {
            let message = L10n.message("request.invalid", language, ["type", "not a known event"])
            hub.send(.error(id: nil, code: "request.invalid", message: message), on: socket)
            return
        }
        do {
            switch event {
            case .send(let conversation, let message):
                let (stored, _) = try await service.send(message, to: conversation, by: userID)
                hub.send(.ack(id: stored.id, seq: stored.seq), on: socket)
            case .typing(let conversation):
                let members = try await service.conversation(conversation, for: userID).members.map(\.userId)
                hub.send(
                    .typing(conversation: conversation, user: userID), to: members.filter { $0 != userID })
            case .mark(let conversation, let delivered, let read):
                try await service.mark(
                    conversation, MarkConversation(readSeq: read, deliveredSeq: delivered), by: userID)
            case .ping:
                hub.send(.pong, on: socket)
            }
        } catch {
            let id: UUID? = if case .send(_, let message) = event { message.id } else { nil }
            let known = error as? any AppError
            if known == nil { logger.report(error: error) }
            let code = known?.code ?? "server.internal"
            let message = L10n.message(code, language, known?.arguments ?? [])
            hub.send(.error(id: id, code: code, message: message), on: socket)
        }
    }
}
