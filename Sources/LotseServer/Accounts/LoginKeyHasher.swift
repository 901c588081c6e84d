import Vapor

/// bcrypt of login keys, off the event loops (a cost-12 hash takes a quarter second of CPU).
struct LoginKeyHasher: Sendable {
    let cost: Int
    let threadPool: NIOThreadPool
    /// A hash of nothing anybody knows, verified against for unknown addresses so they take as long as known ones.
    let decoyHash: String

    init(cost: Int, threadPool: NIOThreadPool) throws {
        self.cost = cost
        self.threadPool = threadPool
        self.decoyHash = try Bcrypt.hash(SecureToken.make(), cost: cost)
    }

    func hash(_ loginKey: String) async throws -> String {
        let cost = cost
        return try await threadPool.runIfActive { try Bcrypt.hash(loginKey, cost: cost) }
    }

    func verify(_ loginKey: String, against hash: String) async throws -> Bool {
        try await threadPool.runIfActive { (try? Bcrypt.verify(loginKey, created: hash)) ?? false }
    }
}
